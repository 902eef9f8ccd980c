// A reference pitch tracker for tests: Boersma's autocorrelation method ("Accurate short-term analysis of the
// fundamental frequency and the harmonics-to-noise ratio of a sampled sound", 1993), the core of Praat's
// "To Pitch (ac)", at the clip's full rate: a Hann-windowed frame of three periods of the lowest F0, its
// autocorrelation divided by the window's own, the highest peak between the lag limits, refined by parabolic
// interpolation. No path finding (Praat's Viterbi step) — frames are judged one by one, like YIN's here. It shares
// no code with src/features/pitch.ts and is ~30× slower, which is why it lives in the tests.

import FFT from 'fft.js';

export interface ReferencePitch {
  /** F0 (Hz) at times `i · stepSec`, 0 where unvoiced. */
  f0Hz: Float64Array;
  stepSec: number;
}

export function referencePitch(
  x: Float32Array,
  sampleRate: number,
  stepSec: number,
  minHz = 55,
  maxHz = 500,
  voicingThreshold = 0.45,
): ReferencePitch {
  const length = Math.round((3 / minHz) * sampleRate);
  let size = 1;
  while (size < 2 * length) size *= 2;
  const fft = new FFT(size);
  const hann = new Float64Array(length);
  for (let i = 0; i < length; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / length);
  const windowAc = autocorrelation(fft, hann, size);
  const w0 = windowAc[0];
  for (let k = 0; k < size; k++) windowAc[k] /= w0;
  const frame = new Float64Array(length);
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const frames = Math.floor(x.length / (stepSec * sampleRate)) + 1;
  const f0Hz = new Float64Array(frames);
  const lagMin = Math.floor(sampleRate / maxHz);
  const lagMax = Math.min(length - 1, Math.ceil(sampleRate / minHz));
  for (let f = 0; f < frames; f++) {
    const start = Math.round(f * stepSec * sampleRate) - (length >> 1);
    if (start < 0 || start + length > x.length) continue;
    let mean = 0;
    for (let i = 0; i < length; i++) mean += x[start + i];
    mean /= length;
    let localPeak = 0;
    for (let i = 0; i < length; i++) {
      frame[i] = (x[start + i] - mean) * hann[i];
      localPeak = Math.max(localPeak, Math.abs(x[start + i] - mean));
    }
    // Praat's silence threshold: frames whose peak is under 3 % of the clip's are unvoiced.
    if (localPeak < 0.03 * peak) continue;
    const r = autocorrelation(fft, frame, size);
    let best = -1;
    let bestValue = 0;
    for (let lag = lagMin + 1; lag < lagMax; lag++) {
      const v = r[lag] / r[0] / windowAc[lag];
      const before = r[lag - 1] / r[0] / windowAc[lag - 1];
      const after = r[lag + 1] / r[0] / windowAc[lag + 1];
      if (v > before && v >= after && v > bestValue) {
        bestValue = v;
        best = lag;
      }
    }
    if (best < 0 || bestValue < voicingThreshold) continue;
    const a = r[best - 1] / r[0] / windowAc[best - 1];
    const b = bestValue;
    const c = r[best + 1] / r[0] / windowAc[best + 1];
    const shift = a - 2 * b + c < 0 ? (0.5 * (a - c)) / (a - 2 * b + c) : 0;
    f0Hz[f] = sampleRate / (best + shift);
  }
  return { f0Hz, stepSec };
}

function autocorrelation(fft: FFT, x: Float64Array, size: number): Float64Array {
  const input = new Float64Array(size);
  input.set(x);
  const spectrum = fft.createComplexArray() as number[];
  fft.realTransform(spectrum, input);
  fft.completeSpectrum(spectrum);
  for (let k = 0; k < size; k++) {
    const p = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
    spectrum[2 * k] = p;
    spectrum[2 * k + 1] = 0;
  }
  const out = fft.createComplexArray() as number[];
  fft.inverseTransform(out, spectrum);
  const r = new Float64Array(size);
  for (let k = 0; k < size; k++) r[k] = out[2 * k];
  return r;
}
