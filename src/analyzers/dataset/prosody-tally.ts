import { CONTOURS, type Contour } from '../../features/prosody.js';
import { round } from '../../util/stats.js';
import { SENTENCE_TYPES, type SentenceType } from '../../text/sentences.js';

// A speaker's (or the whole set's) prosody as fixed-size counters: a histogram per figure and a table of final
// contours by sentence type. Its size does not depend on the number of clips (≈ 600 bytes), so a corpus of
// 2,000 speakers holds ≈ 1.2 MB whatever its length; medians come out of the histograms to half a bin.

/** Fixed bins of each per-clip figure: [lowest edge, bin width, bins]; values beyond land in the end bins. */
export const BINS = {
  f0SpreadSt: [0, 0.25, 40],
  energySpreadDb: [0, 1, 40],
  syllableRate: [0, 0.25, 40],
  paceSpread: [0, 0.05, 20],
} as const;

export type Figure = keyof typeof BINS;
export const FIGURES = Object.keys(BINS) as Figure[];

export interface Tally {
  clips: number;
  monotone: number;
  histograms: Record<Figure, Uint32Array>;
  /** contours[type][contour]: clips with a measured final contour. */
  contours: Record<SentenceType, Record<Contour, number>>;
}

export function newTally(): Tally {
  const histograms = Object.fromEntries(FIGURES.map((f) => [f, new Uint32Array(BINS[f][2])])) as Tally['histograms'];
  const contours = Object.fromEntries(
    SENTENCE_TYPES.map((t) => [t, { rise: 0, fall: 0, flat: 0 }]),
  ) as Tally['contours'];
  return { clips: 0, monotone: 0, histograms, contours };
}

export interface ClipFigures {
  values: Partial<Record<Figure, number>>;
  type: SentenceType;
  contour?: Contour;
  monotone: boolean;
}

export function addTo(t: Tally, clip: ClipFigures): void {
  t.clips += 1;
  if (clip.monotone) t.monotone += 1;
  for (const f of FIGURES) {
    const v = clip.values[f];
    if (v === undefined || !Number.isFinite(v)) continue;
    const [low, width, bins] = BINS[f];
    t.histograms[f][Math.max(0, Math.min(bins - 1, Math.floor((v - low) / width)))] += 1;
  }
  if (clip.contour) t.contours[clip.type][clip.contour] += 1;
}

/** The median of a histogram (the centre of the bin holding the middle value), or null when it is empty. */
export function histogramMedian(t: Tally, f: Figure): number | null {
  const h = t.histograms[f];
  let n = 0;
  for (const c of h) n += c;
  if (n === 0) return null;
  const [low, width] = BINS[f];
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i];
    if (seen >= n / 2) return round(low + (i + 0.5) * width, 4);
  }
  return null;
}

export function measured(t: Tally, type: SentenceType): number {
  const c = t.contours[type];
  return c.rise + c.fall + c.flat;
}

/**
 * Expressiveness (0–100): the mean of two parts, each 0–1. Pitch movement: the median clip's F0 spread over
 * `fullSpreadSt` (capped at 1). Contour variety: the normalised entropy of rise / fall / flat over every final
 * contour measured (0 when every clip ends the same way, 1 when the three are equally common). Null with fewer
 * than `minClips` measured contours.
 */
export function expressiveness(t: Tally, fullSpreadSt: number, minClips: number): number | null {
  const spread = histogramMedian(t, 'f0SpreadSt');
  const totals = CONTOURS.map((c) => SENTENCE_TYPES.reduce((s, type) => s + t.contours[type][c], 0));
  const n = totals.reduce((s, v) => s + v, 0);
  if (spread === null || n < minClips) return null;
  let entropy = 0;
  for (const v of totals) if (v > 0) entropy -= (v / n) * Math.log(v / n);
  const variety = entropy / Math.log(CONTOURS.length);
  return 100 * 0.5 * (Math.min(1, spread / fullSpreadSt) + variety);
}
