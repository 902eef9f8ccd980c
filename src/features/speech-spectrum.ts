import { MEL_BANDS, melBandCentresHz } from './cepstrum.js';
import { DB_FLOOR, type FrameFeatures } from './frames.js';

// A frame level for speech activity that hears speech under broadband noise: each mel band's energy over that
// band's own noise level, averaged in power over the bands. Under white or pink noise the speech of a soft word sits
// in a few low bands where the noise is weak; summed over the whole band (as the broadband RMS is) the strong high
// bands of the noise bury it, normalized per band it stands out. This is the long-term spectral divergence of Ramírez
// et al. (2004) on mel bands, without the long-term max (the hangover and edge widening do that job here). Bands
// centred below `minHz` are left out: rumble leaks into them through the window's main lobe.

const LN_TO_DB = 10 / Math.LN10;
// ln of the mel bank's energy floor (cepstrum.ts): a band at it is digital silence.
const LN_SILENT = Math.log(1e-12) + 1e-3;

/**
 * Per-band noise-normalized level of each energy frame (dB over the noise; `DB_FLOOR` for digital silence). A band's
 * noise is its `noisePercentile` level over the clip's recorded frames: the quiet part of the clip, whatever the
 * noise's colour.
 */
export function spectralLevels(
  features: Pick<FrameFeatures, 'logMel' | 'sampleRate' | 'spectralStride' | 'frameCount'>,
  minHz: number,
  noisePercentile: number,
): Float32Array {
  const { logMel, spectralStride, frameCount } = features;
  const count = Math.floor(logMel.length / MEL_BANDS);
  const centres = melBandCentresHz(features.sampleRate);
  const bands: number[] = [];
  for (let b = 0; b < MEL_BANDS; b++) if (centres[b] >= minHz) bands.push(b);
  const recorded: number[] = [];
  for (let j = 0; j < count; j++) {
    let loud = false;
    for (const b of bands) if (logMel[j * MEL_BANDS + b] > LN_SILENT) loud = true;
    if (loud) recorded.push(j);
  }
  const out = new Float32Array(frameCount).fill(DB_FLOOR);
  if (recorded.length === 0 || bands.length === 0) return out;
  const noise = bands.map((b) => {
    const v = Float64Array.from(recorded, (j) => logMel[j * MEL_BANDS + b]).sort();
    return v[Math.min(v.length - 1, Math.floor((noisePercentile / 100) * v.length))];
  });
  const power = new Float64Array(count);
  for (const j of recorded) {
    let sum = 0;
    for (let k = 0; k < bands.length; k++) sum += Math.exp(logMel[j * MEL_BANDS + bands[k]] - noise[k]);
    power[j] = sum / bands.length;
  }
  // Energy frame f sits at spectral frame f / stride; between two, the mean of their powers.
  for (let f = 0; f < frameCount; f++) {
    const a = Math.min(count - 1, Math.floor(f / spectralStride));
    const b = Math.min(count - 1, Math.ceil(f / spectralStride));
    const p = (power[a] + power[b]) / 2;
    if (p > 0) out[f] = Math.max(DB_FLOOR + 1, LN_TO_DB * Math.log(p));
  }
  return out;
}
