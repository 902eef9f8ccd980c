// True-peak estimate (BS.1770-4 Annex 2): the peak of the signal 4× oversampled, which shows the
// inter-sample peaks a resampler, a DAC or a lossy encoder will reconstruct. The interpolation runs in
// WebAssembly (src/kernels/assembly/true-peak.ts), bit-identical to the JavaScript that test/helpers keeps.

import { alloc, f64At, loadClip, type ClipMemory } from '../kernels/wasm.js';

const OVERSAMPLE = 4;
/**
 * Taps per polyphase branch. The standard's example has 12; with 24 and a Blackman window every branch
 * is flat within 0.03 dB up to 0.4·fs (−1.9 dB at 0.45·fs), at 72 multiply-adds per interpolated interval.
 */
const TAPS = 24;
const HALF = TAPS / 2;

/**
 * Only samples within this many dB of the sample peak are interpolated around. Why this is enough:
 * for a signal band-limited to B Hz and bounded by M (its true peak), the Duffin–Schaeffer refinement of
 * Bernstein's inequality, x'² + (2πB)²x² ≤ (2πB·M)², gives x(t₀ + δ) ≥ M·cos(2πBδ) around the maximum
 * t₀. The nearest sample is at most half a period away, so it holds at least M·cos(πB/fs): the true
 * peak always has a sample within −20·log10(cos(πB/fs)) dB of it — 3 dB for B = fs/4 (the fs/4 sine at
 * 45° meets it), 6 dB for B = fs/3. Speech peaks are built by voicing well below fs/3; what lies above
 * (fricatives) is 30+ dB weaker and barely moves the bound. On the real samples the waveform maxima
 * within 1 dB of the sample peak sit at most 0.5 dB above their nearest sample: 6 dB keeps a wide
 * margin, and only 0.4–1.9 % of speech samples qualify (12 dB: 5–12 %, which tripled the cost).
 */
export const TRUE_PEAK_WINDOW_DB = 6;

/** Windowed-sinc branches: `branches[p][t]` weighs x[n − HALF + 1 + t] for the point n + p/4 (p = 1…3). */
const branches: Float64Array[] = makeBranches();

function makeBranches(): Float64Array[] {
  const out: Float64Array[] = [];
  for (let p = 0; p < OVERSAMPLE; p++) {
    const b = new Float64Array(TAPS);
    for (let t = 0; t < TAPS; t++) {
      // Distance in input samples from the interpolated point to tap t.
      const d = p / OVERSAMPLE - (t - HALF + 1);
      // Cut-off at the input's Nyquist, so branch 0 is the identity and sample values are kept exactly.
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      // Blackman window over the whole 4× prototype (TAPS·4 long): side lobes below −58 dB.
      const w = (HALF - d) / TAPS; // 0…1 across the span
      const window = 0.42 - 0.5 * Math.cos(2 * Math.PI * w) + 0.08 * Math.cos(4 * Math.PI * w);
      b[t] = sinc * window;
    }
    // Unity DC gain per branch, so a constant signal interpolates to itself.
    let sum = 0;
    for (let t = 0; t < TAPS; t++) sum += b[t];
    for (let t = 0; t < TAPS; t++) b[t] /= sum;
    out.push(b);
  }
  return out;
}

/** The candidate threshold for a clip whose sample peak is `samplePeak`. */
export function truePeakThreshold(samplePeak: number, windowDb = TRUE_PEAK_WINDOW_DB): number {
  return samplePeak * 10 ** (-windowDb / 20);
}

/** The branches 1–3 as the kernel reads them (assembly/true-peak.ts): per tap [branch 1, branch 2], then branch 3. */
const kernelBranches: Float64Array = (() => {
  const table = new Float64Array(3 * TAPS);
  for (let t = 0; t < TAPS; t++) {
    table[2 * t] = branches[1][t];
    table[2 * t + 1] = branches[2][t];
    table[2 * TAPS + t] = branches[3][t];
  }
  return table;
})();

/**
 * True peak (linear, full scale 1) of the clip in the kernels' memory: the largest of the candidate samples
 * themselves and of the 4× interpolated points on both sides of each. The `count` candidates (i32 at
 * `candidatesAt`) are ascending sample indices, those within `TRUE_PEAK_WINDOW_DB` of the sample peak (the sample
 * peak among them, so the result is never below it); the clip's sweep (features/scan.ts) collects them.
 */
export function truePeakAround(clip: ClipMemory, candidatesAt: number, count: number): number {
  const { kernels } = clip;
  const at = alloc(kernels, kernelBranches.byteLength, false);
  f64At(kernels, at, kernelBranches.length).set(kernelBranches);
  return kernels.k.truePeakAround(clip.samplesAt, clip.length, candidatesAt, count, at);
}

/** True peak of `samples` on its own: finds the sample peak and the candidates, then interpolates. */
export function truePeak(samples: Float32Array, windowDb = TRUE_PEAK_WINDOW_DB): number {
  const threshold = truePeakThreshold(maxAbs(samples), windowDb);
  if (!(threshold > 0)) return 0;
  const candidates: number[] = [];
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]) >= threshold) candidates.push(i);
  const clip = loadClip(samples);
  const at = alloc(clip.kernels, candidates.length * 4, false);
  new Int32Array(clip.kernels.k.memory.buffer, at, candidates.length).set(candidates);
  return truePeakAround(clip, at, candidates.length);
}

export function maxAbs(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = samples[i] < 0 ? -samples[i] : samples[i];
    if (a > peak) peak = a;
  }
  return peak;
}

export function toDbtp(linear: number): number {
  return 20 * Math.log10(linear);
}
