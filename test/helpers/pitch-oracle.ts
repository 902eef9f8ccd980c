// The pitch track as it was in JavaScript before its loops moved to WebAssembly (src/kernels/assembly/pitch.ts),
// kept verbatim as the oracle: test/kernels.test.ts holds the kernels to it bit for bit, and
// scripts/bench/kernels.ts times the two. Not used by src/.

import {
  DECIMATED_HZ,
  PITCH_MAX_HZ,
  PITCH_MIN_HZ,
  SCREEN_THRESHOLD,
  SEARCH_BELOW_PEAK_DB,
  WINDOW_SEC,
  YIN_THRESHOLD,
  type PitchInput,
  type PitchTrack,
} from '../../src/features/pitch.js';

/** Box-average decimation by `k`: y[m] is the mean of x[mk … mk+k−1]; written into `into` when given (long enough). */
export function decimate(samples: Float32Array, k: number, into?: Float32Array): Float32Array {
  const m = Math.floor(samples.length / k);
  const y = into ? into.subarray(0, m) : new Float32Array(m);
  const scale = 1 / k;
  // Four adds a step (in the same order, so the sums are the same): the box is short (2–12) and a loop of one
  // add a step spent most of its time on the loop itself.
  const quads = k >> 2;
  for (let j = 0, i = 0; j < m; j++) {
    let s = 0;
    for (let q = 0; q < quads; q++, i += 4) {
      s += samples[i];
      s += samples[i + 1];
      s += samples[i + 2];
      s += samples[i + 3];
    }
    for (const end = (j + 1) * k; i < end; i++) s += samples[i];
    y[j] = s * scale;
  }
  return y;
}

/** Longest scratch kept between clips (≈ 8.7 min at 4 kHz): a rare long clip gets its own, not a lasting one. */
const KEEP_MAX = 1 << 21;

/** A typed array kept from clip to clip and grown when a longer clip needs more. */
function reused<A extends Float32Array | Float64Array>(make: (n: number) => A) {
  let array = make(0);
  return {
    take(n: number): A {
      if (n > KEEP_MAX) return make(n);
      if (array.length < n) array = make(Math.min(KEEP_MAX, Math.max(n, Math.ceil(array.length * 1.5))));
      return array;
    },
  };
}

// The decimated copies and their prefix sums are scratch, dropped once the track is made. Fresh ones per clip
// were a third of the bytes a WAV audit allocated per sample, and that garbage (array buffers outside V8's heap)
// set off a full collection every ~13 clips (`--trace-gc`). `trackPitch` runs start to end without awaiting, so
// clips on one thread never share them; each worker thread has its own.
const scratch = {
  x: reused((n) => new Float32Array(n)),
  energy: reused((n) => new Float64Array(n)),
  y: reused((n) => new Float32Array(n)),
  energyY: reused((n) => new Float64Array(n)),
};

export function trackPitchJs({ samples, sampleRate, hopSize, stride, rmsDb }: PitchInput): PitchTrack {
  const frames = Math.ceil(rmsDb.length / stride);
  const f0Hz = new Float32Array(frames);
  const aperiodicity = new Float32Array(frames).fill(1);
  const k = Math.max(1, Math.floor(sampleRate / DECIMATED_HZ));
  const rate = sampleRate / k;
  const x = decimate(samples, k, scratch.x.take(Math.floor(samples.length / k)));
  const energy = prefixSquares(x, scratch.energy.take(x.length + 1));
  const w = Math.round(WINDOW_SEC * rate);
  const tauMin = Math.max(2, Math.floor(rate / PITCH_MAX_HZ));
  const tauMax = Math.ceil(rate / PITCH_MIN_HZ);
  const d = new Float64Array(tauMax + 6);
  // The screen's copy: half the rate again, half the window and half the lags, a quarter of the work.
  const y = decimate(x, 2, scratch.y.take(x.length >> 1));
  const energyY = prefixSquares(y, scratch.energyY.take((x.length >> 1) + 1));
  const wY = w >> 1;
  const tauMaxY = (tauMax >> 1) + 2;
  const tauMinY = Math.max(1, (tauMin >> 1) - 1);
  const dY = new Float64Array(tauMaxY + 6);
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
    const startY = start >> 1;
    if (startY + wY + tauMaxY + 5 <= y.length && !dipsUnder(y, energyY, startY, wY, tauMinY, tauMaxY, dY)) continue;
    const period = yinPeriod(x, energy, start, w, tauMin, tauMax, d);
    if (period > 0) {
      f0Hz[p] = rate / period;
      aperiodicity[p] = d[Math.round(period)];
      voiced++;
    }
  }
  return { stride, frameSec: (stride * hopSize) / sampleRate, f0Hz, aperiodicity, voiced };
}

/** e[i] = x[0]² + … + x[i−1]²: any window's energy in two reads; written into `into` when given (long enough). */
export function prefixSquares(x: Float32Array, into?: Float64Array): Float64Array {
  const e = into ? into.subarray(0, x.length + 1) : new Float64Array(x.length + 1);
  e[0] = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i] * x[i];
    e[i + 1] = s;
  }
  return e;
}

/**
 * YIN's difference function of x[start, start+w) for lags `tau` … `tau + 3` into d, as the two windows' energies
 * (from the prefix sums) minus twice their cross-product: one multiply-add per sample and lag instead of a
 * subtract, a multiply and an add. Four lags per pass: each sample is loaded once for four sums.
 */
function differences(x: Float32Array, energy: Float64Array, start: number, w: number, tau: number, d: Float64Array) {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  // The lagged samples slide through registers: one new load per step rather than four (1.4× faster here).
  let a = x[start + tau];
  let b = x[start + tau + 1];
  let c = x[start + tau + 2];
  for (let j = start, end = start + w; j < end; j++) {
    const v = x[j];
    const e = x[j + tau + 3];
    s0 += v * a;
    s1 += v * b;
    s2 += v * c;
    s3 += v * e;
    a = b;
    b = c;
    c = e;
  }
  const e0 = energy[start + w] - energy[start];
  const at = start + tau;
  // Rounding can leave a perfectly periodic window's difference a hair below zero.
  d[tau] = Math.max(0, e0 + energy[at + w] - energy[at] - 2 * s0);
  d[tau + 1] = Math.max(0, e0 + energy[at + 1 + w] - energy[at + 1] - 2 * s1);
  d[tau + 2] = Math.max(0, e0 + energy[at + 2 + w] - energy[at + 2] - 2 * s2);
  d[tau + 3] = Math.max(0, e0 + energy[at + 3 + w] - energy[at + 3] - 2 * s3);
}

/**
 * The unvoiced-frame screen, on the half-rate copy: whether its normalised difference dips under
 * `SCREEN_THRESHOLD` at any lag from `tauMin`. Unvoiced frames are about half of those searched and each costs
 * YIN its whole lag range (no dip ends the search early); here those rejected cost a quarter of that. The
 * screen's threshold is looser than YIN's, so the frames YIN calls voiced pass it (all but a few per thousand on
 * the real samples, counted in test/pitch.test.ts).
 */
function dipsUnder(
  y: Float32Array,
  energy: Float64Array,
  start: number,
  w: number,
  tauMin: number,
  tauMax: number,
  d: Float64Array,
): boolean {
  let running = 0;
  for (let tau = 1; tau <= tauMax; tau += 4) {
    differences(y, energy, start, w, tau, d);
    for (let t = tau; t < tau + 4; t++) {
      running += d[t];
      if (t >= tauMin && d[t] * t < SCREEN_THRESHOLD * running) return true;
    }
  }
  return false;
}

/**
 * The period (in samples, fractional) of x[start, start+w) by YIN, or 0 when no lag's normalised difference dips
 * under the threshold; `d` (length ≥ tauMax + 6) receives the normalised difference function.
 */
export function yinPeriod(
  x: Float32Array,
  energy: Float64Array,
  start: number,
  w: number,
  tauMin: number,
  tauMax: number,
  d: Float64Array,
): number {
  d[0] = 1;
  let running = 0;
  let found = -1;
  for (let tau = 1; tau <= tauMax + 1 && found < 0; tau += 4) {
    differences(x, energy, start, w, tau, d);
    for (let t = tau; t < tau + 4; t++) {
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
