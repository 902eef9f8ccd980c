import { CEPSTRUM_SIZE } from '../../features/cepstrum.js';
import { median, quantile, sortedFinite } from '../../util/stats.js';
import { semitones } from '../clip/voice-signature.js';

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

export interface Row {
  ordinal: number;
  medianHz: number;
  p5Hz: number;
  p95Hz: number;
  seconds: number;
  flagged: boolean;
  signature?: Float64Array;
}

/**
 * A clip's row as a fixed record of 32-bit words, as the analyzer spills it while the clips are folded: the
 * speaker's number, the ordinal, four Float32 figures, the flags, and the compared signature figures as Int16s.
 */
export const RECORD_WIDTH = 7 + COMPARED / 2;
const FLAGGED = 1;
const HAS_SIGNATURE = 2;

/** Encodes rows into one reused record (`RECORD_WIDTH` words) for `RecordFile.pushWords`. */
export function rowEncoder(): (speaker: number, row: Row) => Uint32Array {
  const words = new Uint32Array(RECORD_WIDTH);
  const floats = new Float32Array(words.buffer);
  const ints = new Int16Array(words.buffer);
  return (speaker, row) => {
    words[0] = speaker;
    words[1] = row.ordinal;
    [floats[2], floats[3], floats[4], floats[5]] = [row.medianHz, row.p5Hz, row.p95Hz, row.seconds];
    words[6] = (row.flagged ? FLAGGED : 0) | (row.signature ? HAS_SIGNATURE : 0);
    for (let k = 0; k < COMPARED; k++) {
      const v = row.signature ? Math.round(row.signature[k] * SCALE) : 0;
      ints[14 + k] = Math.max(-32767, Math.min(32767, v));
    }
    return words;
  };
}

/** A view of one record's fields, moved along a buffer of records by `at` (the record's first word). */
export function recordReader() {
  let source: Uint32Array | undefined;
  let floats: Float32Array = new Float32Array(0);
  let ints: Int16Array = new Int16Array(0);
  let base = 0;
  const view = {
    at(words: Uint32Array, at: number) {
      if (words !== source) {
        source = words;
        floats = new Float32Array(words.buffer, words.byteOffset, words.length);
        ints = new Int16Array(words.buffer, words.byteOffset, 2 * words.length);
      }
      base = at;
      return view;
    },
    ordinal: () => source![base + 1],
    medianHz: () => floats[base + 2],
    seconds: () => floats[base + 5],
    flagged: () => (source![base + 6] & FLAGGED) !== 0,
    hasSignature: () => (source![base + 6] & HAS_SIGNATURE) !== 0,
    /** Compared figure k as stored (hundredths). */
    figure: (k: number) => ints[2 * (base + 7) + k],
  };
  return view;
}

/** The rows of `count` records. */
export function rowsFrom(records: Uint32Array, count: number): SpeakerRows {
  const r: SpeakerRows = {
    n: count,
    ordinals: new Uint32Array(count),
    medianHz: new Float32Array(count),
    p5Hz: new Float32Array(count),
    p95Hz: new Float32Array(count),
    seconds: new Float32Array(count),
    flagged: new Uint8Array(count),
    signatures: new Int16Array(count * COMPARED),
    hasSignature: new Uint8Array(count),
  };
  const floats = new Float32Array(records.buffer, records.byteOffset, records.length);
  const ints = new Int16Array(records.buffer, records.byteOffset, 2 * records.length);
  for (let i = 0, at = 0; i < count; i++, at += RECORD_WIDTH) {
    r.ordinals[i] = records[at + 1];
    [r.medianHz[i], r.p5Hz[i], r.p95Hz[i], r.seconds[i]] = [
      floats[at + 2],
      floats[at + 3],
      floats[at + 4],
      floats[at + 5],
    ];
    r.flagged[i] = records[at + 6] & FLAGGED ? 1 : 0;
    r.hasSignature[i] = records[at + 6] & HAS_SIGNATURE ? 1 : 0;
    r.signatures.set(ints.subarray(2 * (at + 7), 2 * (at + 7) + COMPARED), i * COMPARED);
  }
  return r;
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
  const scale = signatureScale(r, minSpread);
  const out = new Float64Array(r.n).fill(NaN);
  for (let i = 0; i < r.n; i++)
    if (r.hasSignature[i]) out[i] = signatureDistance((k) => r.signatures[i * COMPARED + k], scale);
  return out;
}

export interface SignatureScale {
  centre: Float64Array;
  spread: Float64Array;
}

/** The centre and spread of each compared figure over the rows with a signature (all of a speaker's, or a sample). */
export function signatureScale(r: SpeakerRows, minSpread: number): SignatureScale {
  const rows: number[] = [];
  for (let i = 0; i < r.n; i++) if (r.hasSignature[i]) rows.push(i);
  const centre = new Float64Array(COMPARED);
  const spread = new Float64Array(COMPARED);
  const column = new Float64Array(rows.length);
  const deviation = new Float64Array(rows.length);
  for (let k = 0; k < COMPARED; k++) {
    rows.forEach((i, j) => (column[j] = r.signatures[i * COMPARED + k] / SCALE));
    centre[k] = quantile(sortedFinite(column), 50);
    rows.forEach((_, j) => (deviation[j] = Math.abs(column[j] - centre[k])));
    spread[k] = Math.max(minSpread, 1.4826 * quantile(sortedFinite(deviation), 50));
  }
  return { centre, spread };
}

/** One clip's distance from the centre, its stored figures given by `figure(k)` (hundredths). */
export function signatureDistance(figure: (k: number) => number, { centre, spread }: SignatureScale): number {
  let sumSq = 0;
  for (let k = 0; k < COMPARED; k++) sumSq += ((figure(k) / SCALE - centre[k]) / spread[k]) ** 2;
  return Math.sqrt(sumSq / COMPARED);
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
  /** The F0 (semitones re 100 Hz) between the groups, and whether the smaller group lies below it. */
  boundary: number;
  lowIsMinority: boolean;
}

/**
 * Whether the clips' median F0s fall into two groups: the split of the sorted medians (in semitones) with the
 * widest between-group variance (Otsu), kept when the groups' medians lie `minGapSemitones` apart, their nearest
 * clips half that, and the smaller holds at least `minShare` of the clips (and two).
 */
export function pitchGroups(r: SpeakerRows, minGapSemitones: number, minShare: number): PitchGroups | undefined {
  const idx: number[] = [];
  for (let i = 0; i < r.n; i++) if (r.medianHz[i] > 0) idx.push(i);
  const st = (i: number) => semitones(r.medianHz[i]);
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
    boundary: (low[low.length - 1] + high[0]) / 2,
    lowIsMinority,
  };
}
