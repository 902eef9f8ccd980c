import { loadClip } from '../kernels/wasm.js';
import type { DecodedAudio } from '../types.js';
import { CEPSTRUM_SIZE, MEL_BANDS } from './cepstrum.js';
import { trackPitch, type PitchTrack } from './pitch.js';
import { scanSamples, type KWeightedHops, type SampleScan, type SampleStats } from './scan.js';
import { spectralFrames, type Spectra } from './spectra.js';

export type { KWeightedHops, SampleStats };

/** Frame features of one clip, computed once and read by every analyzer. */
export interface FrameFeatures {
  sampleRate: number;
  /** Samples between frame starts (10 ms). */
  hopSize: number;
  /** Spectral frames (centroid, flatness) are every `spectralStride`-th energy frame. */
  spectralStride: number;
  /** Window and FFT length in samples (a power of two near 20–32 ms). */
  frameSize: number;
  frameCount: number;
  hopSec: number;
  /** RMS of each frame in dBFS (floored at `DB_FLOOR`). */
  rmsDb: Float32Array;
  /** `rmsDb` in ascending order, for the level percentiles several analyzers need. */
  rmsDbSorted: Float32Array;
  /** RMS of each frame of the signal high-passed at `SPEECH_BAND_HZ` (dBFS): speech activity and SNR read it, rumble does not move it. */
  bandRmsDb: Float32Array;
  /** `bandRmsDb` in ascending order. */
  bandRmsDbSorted: Float32Array;
  /** Peak |sample| of each hop-long block [f·hop, (f+1)·hop) in dBFS: the per-sample view ffmpeg silencedetect takes. */
  peakDb: Float32Array;
  /** Highest |sample| of the clip (linear, full scale 1). */
  samplePeak: number;
  /** Zero crossings per sample in each frame; only with `FeatureOptions.shape`. */
  zcr?: Float32Array;
  /** Per spectral frame (every `spectralStride` energy frames): Hz; only with `FeatureOptions.shape`. */
  spectralCentroidHz?: Float32Array;
  /** Per spectral frame: Wiener entropy 0…1; only with `FeatureOptions.shape`. */
  spectralFlatness?: Float32Array;
  /** Mean power per FFT bin over all frames, in dB relative to the loudest bin (floored at `DB_FLOOR`). */
  longTermSpectrumDb: Float32Array;
  /**
   * Per spectral frame: mel cepstrum c1 … c12 (`CEPSTRUM_SIZE` values, frame-major), the timbre of the voice; only
   * in frames the pitch track calls voiced (0 elsewhere), the only ones a voice signature reads.
   */
  cepstrum: Float32Array;
  /** Per spectral frame: the energy of each of the `MEL_BANDS` mel bands (frame-major); speech activity reads them. */
  melPower: Float32Array;
  /** F0 per spectral frame (YIN on a decimated copy): pitch, voice and prosody analyzers read it. */
  pitch: PitchTrack;
  /** Whole-clip sums (level, DC, WADA-SNR), the loud samples (clipping) and the true peak. */
  stats: SampleStats;
  /** K-weighted energy per 100 ms hop: the integrated loudness is gated from these. */
  loudnessHops: KWeightedHops;
}

export const DB_FLOOR = -120;
const HOP_SEC = 0.01;
// Spectral shape changes more slowly than energy: a 20 ms spectral hop (windows still overlapping)
// halves the FFT work, which was most of the feature stage's time.
const SPECTRAL_STRIDE = 2;

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

export interface FeatureOptions {
  /**
   * Also compute the spectral centroid, flatness and zero-crossing rate. No analyzer reads them, and the square
   * root per bin and the logs behind them cost ~3 % of a default audit, so they are left out unless asked for.
   */
  shape?: boolean;
}

export function computeFeatures(audio: DecodedAudio, options: FeatureOptions = {}): FrameFeatures {
  const shaped = options.shape === true;
  const { samples, sampleRate } = audio;
  const frameSize = frameSizeFor(sampleRate);
  const hopSize = Math.max(1, Math.round(sampleRate * HOP_SEC));
  const frameCount = samples.length === 0 ? 0 : Math.max(1, Math.ceil(samples.length / hopSize));
  const rmsDb = new Float32Array(frameCount);
  const bandRmsDb = new Float32Array(frameCount);
  const peakDb = new Float32Array(frameCount);
  const spectralCount = Math.ceil(frameCount / SPECTRAL_STRIDE);
  const zcr = shaped ? new Float32Array(frameCount) : undefined;
  const bins = frameSize / 2 + 1;
  const spectra: Spectra = {
    ltPower: new Float64Array(bins),
    cepstrum: new Float32Array(spectralCount * CEPSTRUM_SIZE),
    melPower: new Float32Array(spectralCount * MEL_BANDS),
    centroid: shaped ? new Float32Array(spectralCount) : undefined,
    flatness: shaped ? new Float32Array(spectralCount) : undefined,
  };

  // The clip is copied into the WebAssembly kernels' memory once, for every kernel that reads it.
  const clip = loadClip(samples);
  const scan = scanSamples(samples, sampleRate, hopSize, frameSize, shaped, clip);
  blockPeaksDb(scan.blockPeak, peakDb);
  frameLevels(scan, samples.length, hopSize, frameSize, rmsDb, bandRmsDb);
  if (zcr && scan.frameCrossings) crossingRates(scan.frameCrossings, samples.length, hopSize, frameSize, zcr);
  const pitch = trackPitch({ samples, sampleRate, hopSize, stride: SPECTRAL_STRIDE, rmsDb, clip });
  spectralFrames(clip, { sampleRate, frameSize, step: SPECTRAL_STRIDE * hopSize, f0Hz: pitch.f0Hz }, spectra);
  const { ltPower, cepstrum, melPower, centroid, flatness } = spectra;

  return {
    sampleRate,
    hopSize,
    spectralStride: SPECTRAL_STRIDE,
    frameSize,
    frameCount,
    hopSec: hopSize / sampleRate,
    rmsDb,
    rmsDbSorted: rmsDb.slice().sort(),
    bandRmsDb,
    bandRmsDbSorted: bandRmsDb.slice().sort(),
    peakDb,
    samplePeak: scan.samplePeak,
    zcr,
    spectralCentroidHz: centroid,
    spectralFlatness: flatness,
    longTermSpectrumDb: relativeDb(ltPower),
    cepstrum,
    melPower,
    pitch,
    stats: scan.stats,
    loudnessHops: scan.hops,
  };
}

// The per-frame loops below are small functions of their own rather than loops inside computeFeatures: V8
// compiled the one big function on-stack part-way through a clip's loop and threw that code away on a later
// clip (`--trace-deopt`: "insufficient type feedback"), running the rest in the interpreter.

function blockPeaksDb(blockPeak: Float64Array, peakDb: Float32Array): void {
  for (let b = 0; b < peakDb.length; b++) {
    const peak = blockPeak[b];
    peakDb[b] = peak > 0 ? Math.max(DB_FLOOR, 20 * Math.log10(peak)) : DB_FLOOR;
  }
}

/** Samples in frame f's window: frames are centred on their hop so that frame f describes time f·hop. */
function windowLength(f: number, length: number, hopSize: number, frameSize: number): number {
  const start = f * hopSize - (frameSize >> 1);
  return Math.max(1, Math.min(length, start + frameSize) - Math.max(0, start));
}

function frameLevels(
  scan: SampleScan,
  length: number,
  hopSize: number,
  frameSize: number,
  rmsDb: Float32Array,
  bandRmsDb: Float32Array,
): void {
  const { frameEnergy, frameBandEnergy } = scan;
  for (let f = 0; f < rmsDb.length; f++) {
    const n = windowLength(f, length, hopSize, frameSize);
    rmsDb[f] = toDb(Math.max(0, frameEnergy[f]) / n);
    bandRmsDb[f] = toDb(Math.max(0, frameBandEnergy[f]) / n);
  }
}

function crossingRates(crossings: Int32Array, length: number, hopSize: number, frameSize: number, zcr: Float32Array) {
  for (let f = 0; f < zcr.length; f++) zcr[f] = crossings[f] / windowLength(f, length, hopSize, frameSize);
}

/** Power per bin in dB relative to the largest (all `DB_FLOOR` when every bin is 0). */
function relativeDb(power: Float64Array): Float32Array {
  let maxPower = 0;
  for (let k = 0; k < power.length; k++) maxPower = Math.max(maxPower, power[k]);
  const db = new Float32Array(power.length);
  for (let k = 0; k < power.length; k++) db[k] = maxPower > 0 ? toDb(power[k] / maxPower) : DB_FLOOR;
  return db;
}
