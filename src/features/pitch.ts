// Pitch (F0) per frame by YIN (de Cheveigné & Kawahara, "YIN, a fundamental frequency estimator for speech
// and music", JASA 2002): the cumulative-mean-normalised difference function, the first dip under an absolute
// threshold, parabolic interpolation of the lag. Written here because `pitchfinder` is GPL-3.0.
//
// Cost is the point: the difference function is W·τmax multiply-adds per frame, so the clip is first decimated
// to ≈ 4 kHz (a box average of k samples: one add per input sample), where a 20 ms window and lags down to
// 55 Hz cost ≈ 5,800 operations; frames are taken every 20 ms (the spectral frames' grid, so a pitch frame and
// a cepstrum frame describe the same instant), and frames far below the clip's speech level are not searched.
// The box average leaks 2–4 kHz into the decimated band; those are weak, high harmonics of speech and YIN's
// first-dip rule is indifferent to them (checked on tones, glides and real speech in test/pitch.test.ts).
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
const DECIMATED_HZ = 4000;
/** Integration window: longer than the period of the lowest F0 (18 ms at 55 Hz). */
const WINDOW_SEC = 0.02;
/** YIN's absolute threshold: the first lag whose normalised difference dips under it is the period. */
const YIN_THRESHOLD = 0.2;
/** Frames more than this far below the clip's loudest are pauses or room tone: not searched. */
const SEARCH_BELOW_PEAK_DB = 40;

export interface PitchInput {
  samples: Float32Array;
  sampleRate: number;
  hopSize: number;
  stride: number;
  /** Energy-frame levels (dBFS), to skip the quiet frames. */
  rmsDb: Float32Array;
}

/** Box-average decimation by `k`: y[m] is the mean of x[mk … mk+k−1]. */
export function decimate(samples: Float32Array, k: number): Float32Array {
  const m = Math.floor(samples.length / k);
  const y = new Float32Array(m);
  const scale = 1 / k;
  for (let j = 0, i = 0; j < m; j++) {
    let s = 0;
    for (const end = i + k; i < end; i++) s += samples[i];
    y[j] = s * scale;
  }
  return y;
}

export function trackPitch({ samples, sampleRate, hopSize, stride, rmsDb }: PitchInput): PitchTrack {
  const frames = Math.ceil(rmsDb.length / stride);
  const f0Hz = new Float32Array(frames);
  const aperiodicity = new Float32Array(frames).fill(1);
  const k = Math.max(1, Math.floor(sampleRate / DECIMATED_HZ));
  const rate = sampleRate / k;
  const x = decimate(samples, k);
  const w = Math.round(WINDOW_SEC * rate);
  const tauMin = Math.max(2, Math.floor(rate / PITCH_MAX_HZ));
  const tauMax = Math.ceil(rate / PITCH_MIN_HZ);
  const d = new Float64Array(tauMax + 6);
  let loudest = -Infinity;
  for (let f = 0; f < rmsDb.length; f++) if (rmsDb[f] > loudest) loudest = rmsDb[f];
  const gate = loudest - SEARCH_BELOW_PEAK_DB;
  let voiced = 0;
  for (let p = 0; p < frames; p++) {
    const f = p * stride;
    if (!(rmsDb[f] >= gate)) continue;
    // The window and its furthest lag straddle the frame's instant, as the energy frame does.
    const start = Math.round((f * hopSize) / k) - ((w + tauMax) >> 1);
    if (start < 0 || start + w + tauMax + 5 > x.length) continue;
    const period = yinPeriod(x, start, w, tauMin, tauMax, d);
    if (period > 0) {
      f0Hz[p] = rate / period;
      aperiodicity[p] = d[Math.round(period)];
      voiced++;
    }
  }
  return { stride, frameSec: (stride * hopSize) / sampleRate, f0Hz, aperiodicity, voiced };
}

/**
 * The period (in samples, fractional) of x[start, start+w) by YIN, or 0 when no lag's normalised difference dips
 * under the threshold; `d` (length ≥ tauMax + 6) receives the normalised difference function.
 */
export function yinPeriod(
  x: Float32Array,
  start: number,
  w: number,
  tauMin: number,
  tauMax: number,
  d: Float64Array,
): number {
  d[0] = 1;
  let running = 0;
  let found = -1;
  // Four lags per pass over the window: each sample is loaded once for four sums, which halved the cost.
  for (let tau = 1; tau <= tauMax + 1 && found < 0; tau += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = start, end = start + w; j < end; j++) {
      const v = x[j];
      const d0 = v - x[j + tau];
      const d1 = v - x[j + tau + 1];
      const d2 = v - x[j + tau + 2];
      const d3 = v - x[j + tau + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    d[tau] = s0;
    d[tau + 1] = s1;
    d[tau + 2] = s2;
    d[tau + 3] = s3;
    for (let q = 0; q < 4; q++) {
      const t = tau + q;
      const sum = d[t];
      running += sum;
      d[t] = running > 0 ? (sum * t) / running : 1;
      // The first dip under the threshold, followed down to its bottom: a later, deeper dip is a
      // multiple of the period (an octave too low).
      if (t > tauMin && d[t - 1] < YIN_THRESHOLD && d[t] >= d[t - 1]) {
        found = t - 1;
        break;
      }
    }
  }
  if (found < 0 || found >= tauMax) return 0;
  const a = d[found - 1];
  const b = d[found];
  const c = d[found + 1];
  const denominator = a - 2 * b + c;
  const shift = denominator > 0 ? (0.5 * (a - c)) / denominator : 0;
  return found + Math.max(-0.5, Math.min(0.5, shift));
}
