import { alloc, f64At, loadClip, type ClipMemory, type Kernels } from '../kernels/wasm.js';

// Pitch (F0) per frame by YIN (de Cheveigné & Kawahara, "YIN, a fundamental frequency estimator for speech
// and music", JASA 2002): the cumulative-mean-normalised difference function, the first dip under an absolute
// threshold, parabolic interpolation of the lag. Written here because `pitchfinder` is GPL-3.0.
//
// Cost is the point: the difference function is W·τmax multiply-adds per frame, so the clip is first decimated
// to ≈ 4 kHz (a box average of k samples: one add per input sample), where a 20 ms window and lags down to
// 55 Hz cost ≈ 7,000 operations; frames are taken every 20 ms (the spectral frames' grid, so a pitch frame and
// a cepstrum frame describe the same instant), and frames far below the clip's speech level are not searched.
// Each window's energy comes from prefix sums, so a lag costs one multiply-add per sample. Unvoiced frames are
// the dear ones (no dip ends their search early): a screen on a 2 kHz copy, a quarter of the work, turns most
// away first. The difference function, the screen and the copies run in WebAssembly (src/kernels/assembly/
// pitch.ts: eight lags a pass in f64x2 vectors, 2.2× the JavaScript, bit-identical to it). The box average leaks 2–4 kHz into the decimated band; those are weak, high harmonics of speech
// and YIN's first-dip rule is indifferent to them (checked on tones, glides and real speech in test/pitch.test.ts).
//
// The track is kept whole in the clip's features, not summarised here: pitch statistics, the voice signature
// and prosody (final contours, F0 spread) all read the same frames.

/** F0 per pitch frame; pitch frame i describes time i·stride·hopSec, as spectral frame i does. */
export interface PitchTrack {
  /** Energy frames per pitch frame. */
  stride: number;
  /** Seconds between pitch frames. */
  frameSec: number;
  /** F0 (Hz) of each pitch frame; 0 where the frame is unvoiced or was not searched. */
  f0Hz: Float32Array;
  /** YIN's normalised difference at the chosen lag (0 = perfectly periodic); 1 where unvoiced or not searched. */
  aperiodicity: Float32Array;
  /** Voiced pitch frames (f0Hz > 0). */
  voiced: number;
}

export const PITCH_MIN_HZ = 55;
export const PITCH_MAX_HZ = 500;
/** Target rate of the decimated signal YIN runs on: the 500 Hz ceiling still has 8 samples per period. */
export const DECIMATED_HZ = 4000;
/** Integration window: longer than the period of the lowest F0 (18 ms at 55 Hz). */
export const WINDOW_SEC = 0.02;
/** YIN's absolute threshold: the first lag whose normalised difference dips under it is the period. */
export const YIN_THRESHOLD = 0.2;
/** Frames more than this far below the clip's loudest are pauses or room tone: not searched. */
export const SEARCH_BELOW_PEAK_DB = 40;
/** The unvoiced screen's threshold on the half-rate copy: looser than YIN's, so voiced frames pass it. */
export const SCREEN_THRESHOLD = 0.5;

export interface PitchInput {
  samples: Float32Array;
  sampleRate: number;
  hopSize: number;
  stride: number;
  /** Energy-frame levels (dBFS), to skip the quiet frames. */
  rmsDb: Float32Array;
  /** `samples` already in the kernels' memory (computeFeatures copies a clip in once for every kernel). */
  clip?: ClipMemory;
}

/**
 * Room past each copy's end and the difference buffers' for the kernels' whole passes of eight lags: the last
 * pass reads (and discards) up to seven lags past the last one searched.
 */
const PAD = 16;

/** Room for `count` f64 a kernel writes, then PAD zeros; the address. */
function paddedAlloc(kernels: Kernels, count: number): number {
  const at = alloc(kernels, (count + PAD) * 8, false);
  f64At(kernels, at + count * 8, PAD).fill(0);
  return at;
}

export function trackPitch({ samples, sampleRate, hopSize, stride, rmsDb, clip }: PitchInput): PitchTrack {
  const frames = Math.ceil(rmsDb.length / stride);
  const f0Hz = new Float32Array(frames);
  const aperiodicity = new Float32Array(frames).fill(1);
  const { kernels, samplesAt } = clip ?? loadClip(samples);
  const { k: wasm } = kernels;
  const k = Math.max(1, Math.floor(sampleRate / DECIMATED_HZ));
  const rate = sampleRate / k;
  const w = Math.round(WINDOW_SEC * rate);
  const tauMin = Math.max(2, Math.floor(rate / PITCH_MAX_HZ));
  const tauMax = Math.ceil(rate / PITCH_MIN_HZ);
  // The decimated copy (f64 holding f32 values: the kernels' vectors load them without converting), its
  // prefix sums of squares, and the screen's copy at half the rate again, half the window and half the lags.
  // Each kernel writes its whole output before any is read: only the pads past the ends, which the last pass of
  // eight lags reads (into lags it discards), are zeroed, so that no stale value (a NaN, a denormal) enters them.
  const n = Math.floor(samples.length / k);
  const x = paddedAlloc(kernels, n);
  wasm.decimate(samplesAt, samples.length, k, x);
  const energy = paddedAlloc(kernels, n + 1);
  wasm.prefixSquares(x, n, energy);
  const nY = n >> 1;
  const y = paddedAlloc(kernels, nY);
  wasm.halve(x, n, y);
  const energyY = paddedAlloc(kernels, nY + 1);
  wasm.prefixSquares(y, nY, energyY);
  const wY = w >> 1;
  const tauMaxY = (tauMax >> 1) + 2;
  const tauMinY = Math.max(1, (tauMin >> 1) - 1);
  // yinPeriod and dipsUnder write each lag's difference before they read it (d[0] first).
  const d = alloc(kernels, (tauMax + 2 * PAD) * 8, false);
  const dY = alloc(kernels, (tauMaxY + 2 * PAD) * 8, false);
  const normalised = f64At(kernels, d, tauMax + 2 * PAD);
  let loudest = -Infinity;
  for (let f = 0; f < rmsDb.length; f++) if (rmsDb[f] > loudest) loudest = rmsDb[f];
  const gate = loudest - SEARCH_BELOW_PEAK_DB;
  let voiced = 0;
  for (let p = 0; p < frames; p++) {
    const f = p * stride;
    if (!(rmsDb[f] >= gate)) continue;
    // The window and its furthest lag straddle the frame's instant, as the energy frame does.
    const start = Math.round((f * hopSize) / k) - ((w + tauMax) >> 1);
    if (start < 0 || start + w + tauMax + 5 > n) continue;
    // The screen turns away most unvoiced frames at a quarter of YIN's cost; its threshold is looser than
    // YIN's, so the frames YIN calls voiced pass it (all but a few per thousand on the real samples, counted
    // in test/pitch.test.ts).
    const startY = start >> 1;
    if (
      startY + wY + tauMaxY + 5 <= nY &&
      !wasm.dipsUnder(y, energyY, startY, wY, tauMinY, tauMaxY, SCREEN_THRESHOLD, dY)
    )
      continue;
    const period = wasm.yinPeriod(x, energy, start, w, tauMin, tauMax, YIN_THRESHOLD, d);
    if (period > 0) {
      f0Hz[p] = rate / period;
      aperiodicity[p] = normalised[Math.round(period)];
      voiced++;
    }
  }
  return { stride, frameSec: (stride * hopSize) / sampleRate, f0Hz, aperiodicity, voiced };
}
