import { powerSpectrum, realFft } from './fft.js';

// Mains hum: narrow lines at 50 or 60 Hz and their harmonics, steady for the whole clip. The 10 ms frames' spectra
// are 40–50 Hz a bin, too coarse to tell 50 from 60 Hz, so one longer transform is taken where the clip is quietest
// (a pause, where it has one long enough): there the fewest voice harmonics stand beside the lines.

export const MAINS_HZ = [50, 60] as const;
const HARMONICS = 5;
/** Bins this close to a line (Hz) are the line's own (a Hann window's main lobe is ±2 bins). */
const LINE_HALF_WIDTH_HZ = 8;
/** The local floor a line stands above: the median of the bins up to this far from it (Hz). */
const NEIGHBOURHOOD_HZ = 30;

export interface Hum {
  /** The mains frequency whose lines (summed over the harmonics) stand out more (Hz). */
  mainsHz: number;
  /** The strongest line's height above its neighbourhood's median (dB). */
  prominenceDb: number;
  /** Power of that mains' prominent lines together (dBFS, a sine at full scale reads −3); −Infinity when none is. */
  levelDbfs: number;
}

/** Transform length: a power of two near 0.17–0.26 s, so bins are 4–6 Hz apart and 50 and 60 Hz lines part. */
export function humWindow(sampleRate: number): number {
  return 2 ** Math.floor(Math.log2(sampleRate / 4));
}

// Made once: an arrow made per call loses its TurboFan code at each mark-compact (see prosody.ts).
const ascending = (a: number, b: number) => a - b;

function median(xs: number[]): number {
  const s = xs.sort(ascending);
  return s.length === 0 ? 0 : s[s.length >> 1];
}

/**
 * Hum lines in `samples[start, start + humWindow)`; null when the window does not fit in the clip. A line counts when
 * it stands `minProminenceDb` over its neighbourhood.
 */
export function measureHum(
  samples: Float32Array,
  sampleRate: number,
  start: number,
  minProminenceDb: number,
): Hum | null {
  const size = humWindow(sampleRate);
  if (start < 0 || start + size > samples.length) return null;
  const fft = realFft(size);
  const power = new Float64Array(size / 2 + 1);
  powerSpectrum(fft, samples, start, power);
  const binHz = sampleRate / size;
  // A full-scale sine's bin reads (N·0.5/2)² with a Hann window (coherent gain 0.5); its power is 1/2.
  const sineScale = 0.5 / ((size * 0.5) / 2) ** 2;
  let best: Hum | null = null;
  let bestScore = -1;
  for (const mains of MAINS_HZ) {
    let strongest = -Infinity;
    let linePower = 0;
    // Lines 50 and 60 Hz lie two bins apart, inside each other's main lobe; their harmonics part further. The mains
    // whose harmonics stand out more in sum wins.
    let score = 0;
    for (let h = 1; h <= HARMONICS; h++) {
      const f = h * mains;
      const centre = Math.round(f / binHz);
      if (centre + Math.ceil(NEIGHBOURHOOD_HZ / binHz) >= power.length) break;
      let peak = 0;
      for (let k = centre - 1; k <= centre + 1; k++) peak = Math.max(peak, power[k]);
      const around: number[] = [];
      for (let k = Math.max(1, Math.floor((f - NEIGHBOURHOOD_HZ) / binHz)); k * binHz <= f + NEIGHBOURHOOD_HZ; k++)
        if (Math.abs(k * binHz - f) > LINE_HALF_WIDTH_HZ) around.push(power[k]);
      const floor = median(around);
      const prominence = 10 * Math.log10((peak + 1e-30) / (floor + 1e-30));
      if (prominence > strongest) strongest = prominence;
      score += Math.max(0, prominence);
      if (prominence >= minProminenceDb) linePower += peak * sineScale;
    }
    const levelDbfs = linePower > 0 ? 10 * Math.log10(linePower) : -Infinity;
    const hum = { mainsHz: mains, prominenceDb: strongest, levelDbfs };
    if (score > bestScore) {
      best = hum;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Start of the hum window where the clip is quietest: the least total frame power over the window's frames (a pause,
 * or what comes nearest one in a clip without a long enough pause). -1 when the clip is shorter than the window.
 */
export function quietestWindow(rmsDb: Float32Array, hopSize: number, sampleRate: number, length: number): number {
  const size = humWindow(sampleRate);
  const span = Math.ceil(size / hopSize);
  if (length < size || rmsDb.length < span) return -1;
  // Each frame's power once: the window adds it and later takes it off again.
  const power = new Float64Array(rmsDb.length);
  for (let i = 0; i < rmsDb.length; i++) power[i] = 10 ** (rmsDb[i] / 10);
  let sum = 0;
  for (let i = 0; i < span; i++) sum += power[i];
  let best = sum;
  let bestFrame = 0;
  for (let i = span; i < rmsDb.length; i++) {
    sum += power[i] - power[i - span];
    if (sum < best) {
      best = sum;
      bestFrame = i - span + 1;
    }
  }
  return Math.min(length - size, bestFrame * hopSize);
}
