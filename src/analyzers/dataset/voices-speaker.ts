import { CEPSTRUM_SIZE } from '../../features/cepstrum.js';
import { median, quantile, sortedFinite } from '../../util/stats.js';

// One speaker's clips as small typed rows, and the judgements made on them once the set is read: how far each
// clip's voice signature is from the speaker's centre, and whether the clips' pitches fall into two groups.

/**
 * The figures compared between clips: F0 median and spread and the cepstral means. The cepstral spreads are
 * left out: they grow with a clip's length and phonetic variety, and on LJSpeech's own clips they doubled the
 * distance of the most distant one without separating other voices any better.
 */
const COMPARED = 2 + CEPSTRUM_SIZE;

/** The compared figures are kept as Int16 hundredths (±327 covers semitones and cepstral values): 28 bytes a clip. */
const SCALE = 100;

export interface SpeakerRows {
  n: number;
  ordinals: Uint32Array;
  /** Median, 5th and 95th percentile F0 of each clip (Hz). */
  medianHz: Float32Array;
  p5Hz: Float32Array;
  p95Hz: Float32Array;
  seconds: Float32Array;
  /** 1 when a clip analyzer already flagged the clip's voice (it counts towards the hours affected). */
  flagged: Uint8Array;
  /** The first `COMPARED` figures of each clip's signature as Int16 hundredths; all zero where `hasSignature` is 0. */
  signatures: Int16Array;
  hasSignature: Uint8Array;
}

export function newRows(capacity = 8): SpeakerRows {
  return {
    n: 0,
    ordinals: new Uint32Array(capacity),
    medianHz: new Float32Array(capacity),
    p5Hz: new Float32Array(capacity),
    p95Hz: new Float32Array(capacity),
    seconds: new Float32Array(capacity),
    flagged: new Uint8Array(capacity),
    signatures: new Int16Array(capacity * COMPARED),
    hasSignature: new Uint8Array(capacity),
  };
}

function grow<T extends Uint32Array | Float32Array | Uint8Array | Int16Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

export interface Row {
  ordinal: number;
  medianHz: number;
  p5Hz: number;
  p95Hz: number;
  seconds: number;
  flagged: boolean;
  signature?: Float64Array;
}

export function pushRow(r: SpeakerRows, row: Row): void {
  if (r.n === r.ordinals.length) {
    const size = 2 * r.n;
    r.ordinals = grow(r.ordinals, size);
    r.medianHz = grow(r.medianHz, size);
    r.p5Hz = grow(r.p5Hz, size);
    r.p95Hz = grow(r.p95Hz, size);
    r.seconds = grow(r.seconds, size);
    r.flagged = grow(r.flagged, size);
    r.signatures = grow(r.signatures, size * COMPARED);
    r.hasSignature = grow(r.hasSignature, size);
  }
  const i = r.n++;
  r.ordinals[i] = row.ordinal;
  r.medianHz[i] = row.medianHz;
  r.p5Hz[i] = row.p5Hz;
  r.p95Hz[i] = row.p95Hz;
  r.seconds[i] = row.seconds;
  r.flagged[i] = row.flagged ? 1 : 0;
  if (row.signature) {
    r.hasSignature[i] = 1;
    for (let k = 0; k < COMPARED; k++) {
      r.signatures[i * COMPARED + k] = Math.max(-32767, Math.min(32767, Math.round(row.signature[k] * SCALE)));
    }
  }
}

/** The speaker's F0: median of the clip medians, and the medians of the clips' 5th and 95th percentiles. */
export function speakerPitch(r: SpeakerRows): { medianHz: number; lowHz: number; highHz: number } {
  const pick = (a: Float32Array) => median(a.subarray(0, r.n).filter((v) => v > 0));
  return { medianHz: pick(r.medianHz), lowHz: pick(r.p5Hz), highHz: pick(r.p95Hz) };
}

/**
 * Each clip's robust distance from the speaker's centre: per compared figure, (x − median) / (1.4826·MAD),
 * combined as a root mean square, so a clip unlike the rest in many respects scores high and one odd figure does
 * not. NaN for clips without a signature. A floor on the spread keeps a dimension that barely varies from
 * turning rounding into distance.
 */
export function signatureDistances(r: SpeakerRows, minSpread: number): Float64Array {
  const rows: number[] = [];
  for (let i = 0; i < r.n; i++) if (r.hasSignature[i]) rows.push(i);
  const out = new Float64Array(r.n).fill(NaN);
  const sumSq = new Float64Array(r.n);
  const column = new Float64Array(rows.length);
  const deviation = new Float64Array(rows.length);
  for (let k = 0; k < COMPARED; k++) {
    rows.forEach((i, j) => (column[j] = r.signatures[i * COMPARED + k] / SCALE));
    const centre = quantile(sortedFinite(column), 50);
    rows.forEach((_, j) => (deviation[j] = Math.abs(column[j] - centre)));
    const spread = Math.max(minSpread, 1.4826 * quantile(sortedFinite(deviation), 50));
    rows.forEach((i, j) => (sumSq[i] += ((column[j] - centre) / spread) ** 2));
  }
  for (const i of rows) out[i] = Math.sqrt(sumSq[i] / COMPARED);
  return out;
}

/**
 * For a speaker with few clips: each clip's distance from the centre and spread of its speaker's *other* clips
 * (RMS of z over the compared figures, as above). With five clips the median absolute deviation of all five
 * includes the median's own zero and collapses now and then, and a stranger inflates the spread it is judged by;
 * leaving the judged clip out avoids both. O(n²) per speaker, used only below a handful of clips.
 */
export function leaveOneOutDistances(r: SpeakerRows, minSpread: number): Float64Array {
  const rows: number[] = [];
  for (let i = 0; i < r.n; i++) if (r.hasSignature[i]) rows.push(i);
  const out = new Float64Array(r.n).fill(NaN);
  if (rows.length < 3) return out;
  const others = new Float64Array(rows.length - 1);
  const deviation = new Float64Array(rows.length - 1);
  for (const i of rows) {
    let sumSq = 0;
    for (let k = 0; k < COMPARED; k++) {
      let m = 0;
      for (const j of rows) if (j !== i) others[m++] = r.signatures[j * COMPARED + k] / SCALE;
      others.sort();
      const centre = quantile(others, 50);
      for (let j = 0; j < m; j++) deviation[j] = Math.abs(others[j] - centre);
      deviation.sort();
      const spread = Math.max(minSpread, 1.4826 * quantile(deviation, 50));
      sumSq += ((r.signatures[i * COMPARED + k] / SCALE - centre) / spread) ** 2;
    }
    out[i] = Math.sqrt(sumSq / COMPARED);
  }
  return out;
}

export interface PitchGroups {
  /** Indices (into the speaker's rows) of the smaller group. */
  minority: number[];
  /** Median F0 of each group (Hz). */
  minorityHz: number;
  majorityHz: number;
  semitones: number;
}

/**
 * Whether the clips' median F0s fall into two groups: the split of the sorted medians (in semitones) with the
 * widest between-group variance (Otsu), kept when the groups' medians lie `minGapSemitones` apart, their nearest
 * clips half that, and the smaller holds at least `minShare` of the clips (and two).
 */
export function pitchGroups(r: SpeakerRows, minGapSemitones: number, minShare: number): PitchGroups | undefined {
  const idx: number[] = [];
  for (let i = 0; i < r.n; i++) if (r.medianHz[i] > 0) idx.push(i);
  const st = (i: number) => 12 * Math.log2(r.medianHz[i] / 100);
  idx.sort((a, b) => st(a) - st(b));
  const n = idx.length;
  const least = Math.max(2, Math.ceil(minShare * n));
  if (n < 2 * least) return undefined;
  const values = idx.map(st);
  const total = values.reduce((s, v) => s + v, 0);
  let best = -1;
  let bestScore = -Infinity;
  let lowSum = 0;
  for (let k = 1; k < n; k++) {
    lowSum += values[k - 1];
    if (k < least || n - k < least) continue;
    const lowMean = lowSum / k;
    const highMean = (total - lowSum) / (n - k);
    const score = k * (n - k) * (highMean - lowMean) ** 2;
    if (score > bestScore) [bestScore, best] = [score, k];
  }
  if (best < 0) return undefined;
  const low = values.slice(0, best);
  const high = values.slice(best);
  const gap = median(high) - median(low);
  // The groups must also be apart at their edges: one stranger among a speaker's clips would otherwise drag
  // the speaker's lowest (or highest) own clip into a "group" with it.
  if (gap < minGapSemitones || high[0] - low[low.length - 1] < minGapSemitones / 2) return undefined;
  const lowIsMinority = low.length <= high.length;
  const hz = (v: number) => 100 * 2 ** (v / 12);
  return {
    minority: lowIsMinority ? idx.slice(0, best) : idx.slice(best),
    minorityHz: hz(median(lowIsMinority ? low : high)),
    majorityHz: hz(median(lowIsMinority ? high : low)),
    semitones: gap,
  };
}
