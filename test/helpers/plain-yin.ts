// Plain YIN for the tests and scripts/bench-pitch.ts: the reference the pitch track's shortcuts are held to.

import type { FrameFeatures } from '../../src/features/frames.js';
import { PITCH_MAX_HZ, PITCH_MIN_HZ } from '../../src/features/pitch.js';
import { decimate } from './pitch-oracle.js';
import type { DecodedAudio } from '../../src/types.js';

/**
 * YIN as the paper states it, on the same decimated copy and frames as `trackPitch`, with neither the screen nor
 * the prefix-sum energies: what the shortcuts must reproduce.
 */
export function plainYin(audio: DecodedAudio, f: FrameFeatures): Float32Array {
  const k = Math.max(1, Math.floor(audio.sampleRate / 4000));
  const rate = audio.sampleRate / k;
  const x = decimate(audio.samples, k);
  const w = Math.round(0.02 * rate);
  const tauMin = Math.max(2, Math.floor(rate / PITCH_MAX_HZ));
  const tauMax = Math.ceil(rate / PITCH_MIN_HZ);
  let loudest = -Infinity;
  for (const v of f.rmsDb) loudest = Math.max(loudest, v);
  const out = new Float32Array(f.pitch.f0Hz.length);
  const d = new Float64Array(tauMax + 2);
  for (let p = 0; p < out.length; p++) {
    if (!(f.rmsDb[2 * p] >= loudest - 40)) continue;
    const start = Math.round((2 * p * f.hopSize) / k) - ((w + tauMax) >> 1);
    if (start < 0 || start + w + tauMax + 5 > x.length) continue;
    let running = 0;
    d[0] = 1;
    for (let tau = 1; tau <= tauMax + 1; tau++) {
      let sum = 0;
      for (let j = start; j < start + w; j++) sum += (x[j] - x[j + tau]) ** 2;
      running += sum;
      d[tau] = running > 0 ? (sum * tau) / running : 1;
    }
    let t = tauMin;
    while (t < tauMax && !(d[t] < 0.2)) t++;
    while (t < tauMax && d[t + 1] < d[t]) t++;
    if (t >= tauMax) continue;
    const den = d[t - 1] - 2 * d[t] + d[t + 1];
    const shift = den > 0 ? (0.5 * (d[t - 1] - d[t + 1])) / den : 0;
    out[p] = rate / (t + Math.max(-0.5, Math.min(0.5, shift)));
  }
  return out;
}
