// Mel-frequency cepstral coefficients, for comparing a recording with a synthesized reading (src/analyzers/clip/alignment.ts).
//
// The recipe of meyda's `mfcc` (windowed power spectrum → triangular mel filters → log → DCT-II), written out
// because meyda's extractor (1) takes log(E + 1), which at full-scale ±1 float levels is close to linear rather
// than a log, so its coefficients change with gain, and (2) allocates a buffer per filter per frame: 167 µs per
// 512-point frame on the dev VM, more than the whole alignment budget allows. This one keeps only each filter's
// non-zero bins and allocates per clip: 13 µs per frame, 8.5 of them in fft.js.
//
// The filter bank is aeneas' (and CMU Sphinx's) default: 40 mel filters from 133.33 to 6855.5 Hz, 13 coefficients,
// frames are 25 ms Hamming windows every 10 ms (aeneas takes 100/40 ms for speed). The band stops at 6.9 kHz,
// below the Nyquist of every rate we meet (16 kHz and up), and the filters are laid on each bin's exact frequency,
// so a 48 kHz clip and espeak-ng's 22.05 kHz output give comparable coefficients at their own rates, without
// resampling. No pre-emphasis: a fixed filter only adds a constant to each log band, which the per-clip mean
// removal in alignment.ts takes out again.

import FFT from 'fft.js';

export interface MfccOptions {
  sampleRate: number;
  frameSec: number;
  hopSec: number;
  melBands: number;
  coefficients: number;
  fMinHz: number;
  fMaxHz: number;
}

export const MFCC_DEFAULTS: Readonly<MfccOptions> = {
  sampleRate: 16000,
  frameSec: 0.025,
  hopSec: 0.01,
  melBands: 40,
  coefficients: 13,
  fMinHz: 133.33,
  fMaxHz: 6855.5,
};

/** Frame-major coefficients: frame f's coefficient k is `data[f * coefficients + k]`. */
export interface Mfcc {
  frames: number;
  coefficients: number;
  data: Float32Array;
  /** Each frame's RMS level (dBFS), to find where speech starts and ends in a synthesized clip. */
  levelDb: Float32Array;
}

const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);
// Log of a mel band's energy never goes below this (≈ −100 dB re. a full-scale frame): digital silence stays finite.
const ENERGY_FLOOR = 1e-10;

interface Plan {
  fftSize: number;
  frameLength: number;
  hop: number;
  window: Float64Array;
  fft: FFT;
  /** Filter b covers bins first[b] … first[b] + weights[b].length − 1. */
  first: Int32Array;
  weights: Float64Array[];
  /** DCT-II basis, coefficient-major. */
  dct: Float64Array;
  /** Bins above the last filter are never read: their power is not computed. */
  bins: number;
}

/**
 * Triangular mel filters with edges equally spaced in mel between `lowHz` and `highHz`, weights from each bin's exact
 * frequency (not rounded to bins), so that banks at different sample rates cover the same band. Filter b covers bins
 * first[b] … first[b] + weights[b].length − 1.
 */
export function melFilterbank(
  lowHz: number,
  highHz: number,
  bands: number,
  binHz: number,
): { first: Int32Array; weights: Float64Array[] } {
  const lowMel = hzToMel(lowHz);
  const step = (hzToMel(highHz) - lowMel) / (bands + 1);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(lowMel + i * step));
  const first = new Int32Array(bands);
  const weights: Float64Array[] = [];
  for (let b = 0; b < bands; b++) {
    const [lo, mid, hi] = [edges[b], edges[b + 1], edges[b + 2]];
    const start = Math.ceil(lo / binHz);
    const end = Math.floor(hi / binHz);
    const w = new Float64Array(Math.max(0, end - start + 1));
    for (let k = start; k <= end; k++) {
      const f = k * binHz;
      w[k - start] = Math.max(0, f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid));
    }
    first[b] = start;
    weights.push(w);
  }
  return { first, weights };
}

const plans = new Map<string, Plan>();

function plan(o: MfccOptions): Plan {
  const key = JSON.stringify(o);
  const cached = plans.get(key);
  if (cached) return cached;
  const frameLength = Math.round(o.frameSec * o.sampleRate);
  const hop = Math.round(o.hopSec * o.sampleRate);
  let fftSize = 2;
  while (fftSize < frameLength) fftSize *= 2;
  const window = new Float64Array(frameLength);
  for (let i = 0; i < frameLength; i++) window[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (frameLength - 1));
  const { first, weights } = melFilterbank(o.fMinHz, o.fMaxHz, o.melBands, o.sampleRate / fftSize);
  const dct = new Float64Array(o.coefficients * o.melBands);
  for (let k = 0; k < o.coefficients; k++) {
    for (let n = 0; n < o.melBands; n++) dct[k * o.melBands + n] = Math.cos((Math.PI * k * (n + 0.5)) / o.melBands);
  }
  const bins = Math.min(fftSize / 2 + 1, first[o.melBands - 1] + weights[o.melBands - 1].length);
  const p: Plan = { fftSize, frameLength, hop, window, fft: new FFT(fftSize), first, weights, dct, bins };
  plans.set(key, p);
  return p;
}

/** MFCCs of `samples` (already at `o.sampleRate`); a clip shorter than one frame has none. */
export function mfcc(samples: Float32Array, o: MfccOptions = MFCC_DEFAULTS): Mfcc {
  const p = plan(o);
  const frames = samples.length < p.frameLength ? 0 : Math.floor((samples.length - p.frameLength) / p.hop) + 1;
  const data = new Float32Array(frames * o.coefficients);
  const levelDb = new Float32Array(frames);
  const input = new Float64Array(p.fftSize);
  const out = new Float64Array(2 * p.fftSize) as unknown as number[]; // fft.js takes any indexable array
  const power = new Float64Array(p.bins);
  const logMel = new Float64Array(o.melBands);
  for (let f = 0; f < frames; f++) {
    const start = f * p.hop;
    let sumSq = 0;
    for (let i = 0; i < p.frameLength; i++) {
      const x = samples[start + i];
      sumSq += x * x;
      input[i] = x * p.window[i];
    }
    levelDb[f] = 10 * Math.log10(sumSq / p.frameLength + 1e-20);
    p.fft.realTransform(out, input);
    for (let k = 0; k < p.bins; k++) power[k] = out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1];
    for (let b = 0; b < o.melBands; b++) {
      const w = p.weights[b];
      const k0 = p.first[b];
      let e = 0;
      for (let j = 0; j < w.length; j++) e += w[j] * power[k0 + j];
      logMel[b] = Math.log(Math.max(e, ENERGY_FLOOR));
    }
    for (let k = 0; k < o.coefficients; k++) {
      let c = 0;
      for (let n = 0; n < o.melBands; n++) c += p.dct[k * o.melBands + n] * logMel[n];
      data[f * o.coefficients + k] = c;
    }
  }
  return { frames, coefficients: o.coefficients, data, levelDb };
}
