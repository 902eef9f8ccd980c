import { highPassFilter, shelfFilter } from '../dsp/loudness.js';
import { butterworthHighPass, SPEECH_BAND_HZ } from '../dsp/speech-band.js';
import { truePeakAround, truePeakThreshold } from '../dsp/true-peak.js';
import { alloc, f64At, loadClip, type ClipMemory } from '../kernels/wasm.js';

// One pass over a clip's samples for everything any analyzer needs sample by sample: frame energies,
// block peaks, sums for level, DC and WADA-SNR, the K-weighted loudness hops and the loud
// samples (true-peak candidates, clipping). Separate passes each cost a walk over the clip and their own
// loop overhead, and the K-weighting filter's recursion leaves the CPU idle between samples: the rest of
// the work fills that idle time. The pass runs in WebAssembly (src/kernels/assembly/sweep.ts) on the clip's
// samples in the kernels' memory, bit-identical to the JavaScript it replaced (test/helpers/scan-oracle.ts).

/** Whole-clip sums, all in sample order from the first sample, so they equal a plain loop's. */
export interface SampleStats {
  count: number;
  sum: number;
  sumSquares: number;
  /** Samples that are not exactly zero. */
  nonZero: number;
  /** Indices, ascending, of the samples with |x| ≥ `loudThreshold`: the true-peak candidates, and every sample a clipping run can hold. */
  loud: Int32Array;
  /** The sample peak less `TRUE_PEAK_WINDOW_DB` (`truePeakThreshold`); 0 for a silent clip, whose `loud` is then empty. */
  loudThreshold: number;
  /** Σ|y| and Σ ln|y| of the speech-band signal y over the same samples as `nonZero` (|y| floored at 1e-30): WADA-SNR without the rumble. */
  bandSumAbs: number;
  bandSumLogAbs: number;
  /** True peak (linear, full scale 1; BS.1770-4, 4× oversampled around `loud`), taken while the samples are in the kernels' memory. */
  truePeak: number;
}

/** Sums of K-weighted squares per 100 ms loudness hop (BS.1770), and each hop's length in samples. */
export interface KWeightedHops {
  energy: Float64Array;
  length: Float64Array;
}

export interface SampleScan {
  stats: SampleStats;
  hops: KWeightedHops;
  /** Peak |sample| per hop-long block. */
  blockPeak: Float64Array;
  /** Σx² over each frame's window [lo, hi). */
  frameEnergy: Float64Array;
  /** The same over the signal high-passed at `SPEECH_BAND_HZ`: speech without the rumble below it. */
  frameBandEnergy: Float64Array;
  /** Sign changes between consecutive samples inside each frame's window; only when asked for (no analyzer reads them). */
  frameCrossings?: Int32Array;
  samplePeak: number;
}

const HOPS_PER_SEC = 10;
// The whole-clip sums the kernel writes (src/kernels/assembly/sweep.ts, OUT_*).
const OUT_SUM = 0;
const OUT_SQ = 1;
const OUT_NON_ZERO = 2;
const OUT_BAND_ABS = 3;
const OUT_BAND_PRODUCT = 4;
const OUT_BAND_LOG = 5;
const OUT_PEAK = 6;
const OUT_SLOTS = 7;
// The coefficients (K_BYTES), the first 14 slots written here.
const K_BYTES = 128;
// The kernel's running state between stretches (S_BYTES).
const STATE_BYTES = 112;

/**
 * Frames are `frameSize` windows centred on multiples of `hopSize`, clipped to the clip; blocks are
 * [b·hop, (b+1)·hop). The kernel sweeps the clip from event to event (a block end, a frame's window edge, a
 * loudness hop end) and records the running sums at each: nothing proportional to the clip is allocated besides
 * the loud-sample list, which a second look at the few loudest blocks fills. `clip` holds the samples in the
 * kernels' memory (copied there when not given).
 */
export function scanSamples(
  samples: Float32Array,
  sampleRate: number,
  hopSize: number,
  frameSize: number,
  crossings = false,
  clip: ClipMemory = loadClip(samples),
): SampleScan {
  const n = samples.length;
  const frames = n === 0 ? 0 : Math.max(1, Math.ceil(n / hopSize));
  const hopCount = Math.floor((n * HOPS_PER_SEC) / sampleRate);
  const shelf = shelfFilter(sampleRate);
  const highPass = highPassFilter(sampleRate);
  const band = butterworthHighPass(sampleRate, SPEECH_BAND_HZ);
  const { kernels } = clip;
  const k = alloc(kernels, K_BYTES, false);
  const out = alloc(kernels, OUT_SLOTS * 8, false);
  // Each is written before it is read: frames and blocks at their events, the hops at theirs, logs per stretch.
  const frameEnergyAt = alloc(kernels, frames * 8, false);
  const frameBandAt = alloc(kernels, frames * 8, false);
  const blockPeakAt = alloc(kernels, frames * 8, false);
  const energyAt = alloc(kernels, hopCount * 8, false);
  const lengthAt = alloc(kernels, hopCount * 8, false);
  const hopEndsAt = alloc(kernels, hopCount * 4, false);
  const stateAt = alloc(kernels, STATE_BYTES, false);
  const logsAt = alloc(kernels, hopSize * 8, false);
  // The layout of assembly/sweep.ts (K_*): the shelf and the band filter as the two lanes of each pair.
  f64At(kernels, k, 14).set([
    shelf.b0,
    1,
    shelf.b1,
    -2,
    shelf.b2,
    1,
    1,
    band.b0,
    shelf.a2,
    band.a2,
    shelf.a1,
    band.a1,
    highPass.a2,
    highPass.a1,
  ]);
  const hopEnds = new Int32Array(kernels.k.memory.buffer, hopEndsAt, hopCount);
  // Rounded one by one, so a rate whose 100 ms is fractional never drifts; in JavaScript, whose Math.round
  // (halves up) WebAssembly's nearest (halves to even) is not.
  for (let h = 0; h < hopCount; h++) hopEnds[h] = Math.round(((h + 1) * sampleRate) / HOPS_PER_SEC);
  kernels.k.scanClip(
    clip.samplesAt,
    n,
    hopSize,
    frameSize,
    frames,
    hopEndsAt,
    hopCount,
    k,
    out,
    frameEnergyAt,
    frameBandAt,
    blockPeakAt,
    energyAt,
    lengthAt,
    stateAt,
    logsAt,
  );
  const s = f64At(kernels, out, OUT_SLOTS);
  const peak = s[OUT_PEAK];
  const sums = { sum: s[OUT_SUM], sumSquares: s[OUT_SQ], nonZero: s[OUT_NON_ZERO], bandSumAbs: s[OUT_BAND_ABS] };
  const bandSumLogAbs = s[OUT_BAND_LOG] + Math.log(s[OUT_BAND_PRODUCT]);
  const blockPeak = f64At(kernels, blockPeakAt, frames).slice();
  const hops = {
    energy: f64At(kernels, energyAt, hopCount).slice(),
    length: f64At(kernels, lengthAt, hopCount).slice(),
  };
  const frameEnergy = f64At(kernels, frameEnergyAt, frames).slice();
  const frameBandEnergy = f64At(kernels, frameBandAt, frames).slice();
  const loudThreshold = truePeakThreshold(peak);
  const { loud, truePeak } = peak > 0 ? loudSamples(clip, blockPeak, blockPeakAt, hopSize, loudThreshold) : NONE_LOUD;
  return {
    stats: { count: n, ...sums, loud, loudThreshold, bandSumLogAbs, truePeak },
    hops,
    blockPeak,
    frameEnergy,
    frameBandEnergy,
    frameCrossings: crossings ? frameCrossings(samples, frames, hopSize, frameSize) : undefined,
    samplePeak: peak,
  };
}

const NONE_LOUD = { loud: new Int32Array(0), truePeak: 0 };

/**
 * The samples at or above `threshold` (only the blocks whose peak reaches it can hold any), and the true peak
 * interpolated around them, while the clip is in the kernels' memory.
 */
function loudSamples(
  clip: ClipMemory,
  blockPeak: Float64Array,
  blockPeakAt: number,
  hop: number,
  threshold: number,
): { loud: Int32Array; truePeak: number } {
  let room = 0;
  for (let b = 0; b < blockPeak.length; b++) {
    if (blockPeak[b] >= threshold) room += Math.min(clip.length, (b + 1) * hop) - b * hop;
  }
  const { kernels } = clip;
  const at = alloc(kernels, room * 4, false);
  const count = kernels.k.loudSamples(clip.samplesAt, clip.length, blockPeakAt, blockPeak.length, hop, threshold, at);
  const truePeak = truePeakAround(clip, at, count);
  return { loud: new Int32Array(kernels.k.memory.buffer, at, count).slice(), truePeak };
}

/**
 * Sign changes inside each frame's window [lo, hi): those between samples lo+1 … hi−1 and the one before each
 * (the change at lo itself, from lo−1, belongs to the window before). A pass of its own, as only the opt-in
 * zero-crossing rate reads it.
 */
function frameCrossings(x: Float32Array, frames: number, hopSize: number, frameSize: number): Int32Array {
  const out = new Int32Array(frames);
  const half = frameSize >> 1;
  for (let f = 0; f < frames; f++) {
    const lo = Math.max(0, f * hopSize - half);
    const hi = Math.min(x.length, f * hopSize - half + frameSize);
    let count = 0;
    for (let i = lo + 1; i < hi; i++) count += +(x[i] >= 0) ^ +(x[i - 1] >= 0);
    out[f] = count;
  }
  return out;
}
