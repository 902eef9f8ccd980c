import { MEL_BANDS, melBandCentresHz } from './cepstrum.js';
import { quantile } from '../util/stats.js';
import { DB_FLOOR, recordedLevels, type FrameFeatures } from './frames.js';

// A frame level for speech activity that hears speech under broadband noise: each mel band's energy over that
// band's own noise level, averaged in power over the bands. Under white or pink noise the speech of a soft word sits
// in a few low bands where the noise is weak; summed over the whole band (as the broadband RMS is) the strong high
// bands of the noise bury it, normalized per band it stands out. This is the long-term spectral divergence of Ramírez
// et al. (2004) on mel bands, without the long-term max (the hangover and edge widening do that job here). Bands
// centred below `minHz` are left out: rumble leaks into them through the window's main lobe.

const LN_TO_DB = 10 / Math.LN10;
// Mel band energy at or below which a band is digital silence (the log floor of cepstrum.ts).
const SILENT = 1e-12;

export interface SpectralLevels {
  /** Per energy frame: mean over the bands of power over the band's noise (dB; `DB_FLOOR` for digital silence). */
  overNoise: Float32Array;
  /** Per energy frame: summed power of the same bands (dB, uncalibrated; `DB_FLOOR` for digital silence). */
  power: Float32Array;
}

/**
 * Per-band noise-normalized level of each energy frame, and the plain level of the same bands. A band's noise is its
 * `noisePercentile` level over the clip's recorded frames: the quiet part of the clip, whatever the noise's colour.
 */
export function spectralLevels(features: Features, minHz: number, noisePercentile: number): SpectralLevels {
  const { melPower: mel, spectralStride, frameCount } = features;
  const count = Math.floor(mel.length / MEL_BANDS);
  const centres = melBandCentresHz(features.sampleRate);
  let first = 0;
  while (first < MEL_BANDS && centres[first] < minHz) first++;
  const used = MEL_BANDS - first;
  const recorded = new Int32Array(count);
  let n = 0;
  for (let j = 0; j < count; j++) {
    let loud = false;
    for (let b = first; b < MEL_BANDS; b++) if (mel[j * MEL_BANDS + b] > SILENT) loud = true;
    if (loud) recorded[n++] = j;
  }
  const out = new Float32Array(frameCount).fill(DB_FLOOR);
  const plain = new Float32Array(frameCount).fill(DB_FLOOR);
  if (n === 0 || used <= 0) return { overNoise: out, power: plain };
  const inverseNoise = new Float64Array(used);
  const values = new Float32Array(n);
  const at = Math.min(n - 1, Math.floor((noisePercentile / 100) * n));
  for (let k = 0; k < used; k++) {
    for (let i = 0; i < n; i++) values[i] = mel[recorded[i] * MEL_BANDS + first + k];
    inverseNoise[k] = 1 / Math.max(SILENT, values.sort()[at]);
  }
  const power = new Float64Array(count);
  const total = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    const row = recorded[i] * MEL_BANDS + first;
    let all = 0;
    let sum = 0;
    for (let k = 0; k < used; k++) {
      const e = mel[row + k];
      all += e;
      sum += e * inverseNoise[k];
    }
    power[recorded[i]] = sum / used;
    total[recorded[i]] = all;
  }
  // Energy frame f sits at spectral frame f / stride; between two, the mean of their powers.
  for (let f = 0; f < frameCount; f++) {
    const a = Math.min(count - 1, Math.floor(f / spectralStride));
    const b = Math.min(count - 1, Math.ceil(f / spectralStride));
    const p = (power[a] + power[b]) / 2;
    if (p > 0) out[f] = Math.max(DB_FLOOR + 1, LN_TO_DB * Math.log(p));
    const t = (total[a] + total[b]) / 2;
    if (t > 0) plain[f] = Math.max(DB_FLOOR + 1, LN_TO_DB * Math.log(t));
  }
  return { overNoise: out, power: plain };
}

type Features = Pick<FrameFeatures, 'melPower' | 'sampleRate' | 'spectralStride' | 'frameCount'>;

/** The spectral level the activity detector reads, and its speech level (percentile `speechPercentile`). */
export function spectralActivityLevels(
  features: Features,
  c: { spectralMinHz: number; bandNoisePercentile: number; speechPercentile: number; relativeDb: number },
): { levels: Float32Array; speechLevel: number } {
  const { overNoise, power } = spectralLevels(features, c.spectralMinHz, c.bandNoisePercentile);
  const speechLevel = quantile(recordedLevels(overNoise.slice().sort()), c.speechPercentile);
  // The level over the noise hears any sound over the quietest noise; what lies `relativeDb` below the speech in the
  // plain level of the same bands (a clip's own hiss next to padded silence) stays silence, as in the broadband method.
  const plainSpeech = quantile(recordedLevels(power.slice().sort()), c.speechPercentile);
  for (let i = 0; i < overNoise.length; i++) {
    if (power[i] < plainSpeech - c.relativeDb) overNoise[i] = Math.min(overNoise[i], 0);
  }
  return { levels: overNoise, speechLevel };
}
