import type { DecodedAudio } from '../types.js';
import { amplitudeSpectrum, realFft } from './fft.js';
import { spectralCentroidHz, spectralFlatness } from './spectral.js';

/** Frame features of one clip, computed once and read by every analyzer. */
export interface FrameFeatures {
  sampleRate: number;
  /** Samples between frame starts (10 ms). */
  hopSize: number;
  /** Window and FFT length in samples (a power of two near 20–32 ms). */
  frameSize: number;
  frameCount: number;
  hopSec: number;
  /** RMS of each frame in dBFS (floored at `DB_FLOOR`). */
  rmsDb: Float32Array;
  /** `rmsDb` in ascending order, for the level percentiles several analyzers need. */
  rmsDbSorted: Float32Array;
  /** Zero crossings per sample in each frame. */
  zcr: Float32Array;
  spectralCentroidHz: Float32Array;
  spectralFlatness: Float32Array;
  /** Mean power per FFT bin over all frames, in dB relative to the loudest bin (floored at `DB_FLOOR`). */
  longTermSpectrumDb: Float32Array;
}

export const DB_FLOOR = -120;
const HOP_SEC = 0.01;

export function toDb(power: number): number {
  return power > 1e-12 ? Math.max(DB_FLOOR, 10 * Math.log10(power)) : DB_FLOOR;
}

/**
 * The sorted frame levels without digitally silent frames (exact zeros, at `DB_FLOOR`): padding a
 * clip with digital silence must not move its noise floor or its silence threshold.
 */
export function recordedLevels(rmsDbSorted: Float32Array): Float32Array {
  let i = 0;
  while (i < rmsDbSorted.length && rmsDbSorted[i] <= DB_FLOOR) i++;
  return i === rmsDbSorted.length ? rmsDbSorted : rmsDbSorted.subarray(i);
}

/** Largest power of two not above 32 ms: 512 at 16–22.05 kHz, 1024 at 44.1/48 kHz. */
export function frameSizeFor(sampleRate: number): number {
  return 2 ** Math.floor(Math.log2(sampleRate * 0.032));
}

export function computeFeatures(audio: DecodedAudio): FrameFeatures {
  const { samples, sampleRate } = audio;
  const frameSize = frameSizeFor(sampleRate);
  const hopSize = Math.max(1, Math.round(sampleRate * HOP_SEC));
  const frameCount = samples.length === 0 ? 0 : Math.max(1, Math.ceil(samples.length / hopSize));
  const rmsDb = new Float32Array(frameCount);
  const zcr = new Float32Array(frameCount);
  const centroid = new Float32Array(frameCount);
  const flatness = new Float32Array(frameCount);
  const bins = frameSize / 2 + 1;
  const amp = new Float64Array(bins);
  const ltPower = new Float64Array(bins);
  const fft = realFft(frameSize);

  for (let f = 0; f < frameCount; f++) {
    // Frames are centred on their hop so that frame f describes time f·hop, as silence boundaries need.
    const start = f * hopSize - (frameSize >> 1);
    const lo = Math.max(0, start);
    const hi = Math.min(samples.length, start + frameSize);
    let sumSq = 0;
    let crossings = 0;
    let prev = samples[lo] ?? 0;
    for (let i = lo; i < hi; i++) {
      const x = samples[i];
      sumSq += x * x;
      if ((x >= 0) !== (prev >= 0)) crossings++;
      prev = x;
    }
    const n = Math.max(1, hi - lo);
    rmsDb[f] = toDb(sumSq / n);
    zcr[f] = crossings / n;

    amplitudeSpectrum(fft, samples, start, amp);
    centroid[f] = spectralCentroidHz(amp, sampleRate, frameSize);
    flatness[f] = spectralFlatness(amp);
    for (let k = 0; k < bins; k++) ltPower[k] += amp[k] * amp[k];
  }

  let maxPower = 0;
  for (let k = 0; k < bins; k++) maxPower = Math.max(maxPower, ltPower[k]);
  const longTermSpectrumDb = new Float32Array(bins);
  for (let k = 0; k < bins; k++) longTermSpectrumDb[k] = maxPower > 0 ? toDb(ltPower[k] / maxPower) : DB_FLOOR;

  return {
    sampleRate,
    hopSize,
    frameSize,
    frameCount,
    hopSec: hopSize / sampleRate,
    rmsDb,
    rmsDbSorted: rmsDb.slice().sort(),
    zcr,
    spectralCentroidHz: centroid,
    spectralFlatness: flatness,
    longTermSpectrumDb,
  };
}
