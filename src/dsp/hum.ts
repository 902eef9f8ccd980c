import { powerSpectrum, realFft } from '../features/fft.js';

// Mains hum: narrow lines at 50 or 60 Hz and their harmonics, steady for the whole clip. The 10 ms frames' spectra
// are 40–50 Hz a bin, too coarse to tell 50 from 60 Hz, so one longer transform is taken where the clip is quietest
// (the middle of its longest pause): there no voice's harmonics stand beside the lines.

export const MAINS_HZ = [50, 60] as const;
const HARMONICS = 5;
/** Bins this close to a line (Hz) are the line's own (a Hann window's main lobe is ±2 bins). */
const LINE_HALF_WIDTH_HZ = 8;
/** The local floor a line stands above: the median of the bins up to this far from it (Hz). */
const NEIGHBOURHOOD_HZ = 30;

export interface Hum {
  /** The mains frequency whose lines stand out more (Hz). */
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

function median(xs: number[]): number {
  const s = xs.sort((a, b) => a - b);
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
  for (const mains of MAINS_HZ) {
    let strongest = -Infinity;
    let linePower = 0;
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
      if (prominence >= minProminenceDb) linePower += peak * sineScale;
    }
    const levelDbfs = linePower > 0 ? 10 * Math.log10(linePower) : -Infinity;
    const hum = { mainsHz: mains, prominenceDb: strongest, levelDbfs };
    if (!best || hum.prominenceDb > best.prominenceDb) best = hum;
  }
  return best;
}

/** Start of a hum window in the middle of the longest run of non-speech frames, or -1 when none is long enough. */
export function quietestWindow(isSpeech: Uint8Array, hopSize: number, sampleRate: number, length: number): number {
  const size = humWindow(sampleRate);
  let bestStart = -1;
  let bestLength = 0;
  let run = 0;
  for (let i = 0; i <= isSpeech.length; i++) {
    if (i < isSpeech.length && !isSpeech[i]) {
      run++;
      continue;
    }
    if (run > bestLength) {
      bestLength = run;
      bestStart = i - run;
    }
    run = 0;
  }
  if (bestStart < 0) return -1;
  const from = bestStart * hopSize;
  const to = Math.min(length, (bestStart + bestLength) * hopSize);
  if (to - from < size) return -1;
  return from + ((to - from - size) >> 1);
}
