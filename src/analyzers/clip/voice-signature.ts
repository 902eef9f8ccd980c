import { CEPSTRUM_SIZE } from '../../features/cepstrum.js';
import type { FrameFeatures } from '../../features/frames.js';
import type { SpeechSpan } from '../../features/speech.js';
import { quantile } from '../../util/stats.js';

// A voice signature without a model: where the voice sits in pitch (F0 median and spread, in semitones) and in
// timbre (mean and spread of each mel-cepstral coefficient), over voiced speech frames only — pauses and
// unvoiced consonants say little about who speaks. Fixed-size, so a dataset analyzer keeps one small typed row
// per clip. An embedding from a speaker model (an ONNX file the user gives) would be a better signature: it
// would be one more clip analyzer writing its own annotation, and `voices` would compare whichever it is given.

/** F0 median (st re 100 Hz), F0 spread (st), 12 cepstral means, 12 cepstral spreads. */
export const SIGNATURE_SIZE = 2 + 2 * CEPSTRUM_SIZE;
export const SIGNATURE_LABELS = [
  'f0_median_st',
  'f0_iqr_st',
  ...Array.from({ length: CEPSTRUM_SIZE }, (_, k) => `c${k + 1}_mean`),
  ...Array.from({ length: CEPSTRUM_SIZE }, (_, k) => `c${k + 1}_sd`),
];

export const semitones = (hz: number) => 12 * Math.log2(hz / 100);

/** Pitch-frame indices that are voiced and inside speech, in time order. */
export function voicedFrames(features: FrameFeatures, speech: SpeechSpan): Int32Array {
  const { f0Hz, stride } = features.pitch;
  const out = new Int32Array(f0Hz.length);
  let n = 0;
  for (let p = 0; p < f0Hz.length; p++) if (f0Hz[p] > 0 && speech.isSpeech[p * stride]) out[n++] = p;
  return out.subarray(0, n);
}

/** The signature of the given voiced pitch frames (at least one). */
export function signatureOf(features: FrameFeatures, frames: ArrayLike<number>): Float64Array {
  const n = frames.length;
  const sig = new Float64Array(SIGNATURE_SIZE);
  const st = new Float64Array(n);
  for (let i = 0; i < n; i++) st[i] = semitones(features.pitch.f0Hz[frames[i]]);
  st.sort();
  sig[0] = quantile(st, 50);
  sig[1] = quantile(st, 75) - quantile(st, 25);
  const c = features.cepstrum;
  for (let k = 0; k < CEPSTRUM_SIZE; k++) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const v = c[frames[i] * CEPSTRUM_SIZE + k];
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    sig[2 + k] = mean;
    sig[2 + CEPSTRUM_SIZE + k] = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  }
  return sig;
}

/** A signature as the clip's `voice.signature` annotation: comma-separated, 3 decimals. */
export function encodeSignature(sig: ArrayLike<number>): string {
  // A loop, not Array.from with an arrow: see features/prosody.ts on arrows made per call.
  let text = '';
  for (let k = 0; k < sig.length; k++) text += (k > 0 ? ',' : '') + (Math.round(sig[k] * 1000) / 1000).toString();
  return text;
}

/** The annotation back into numbers; undefined when it is not a signature of this size. */
export function decodeSignature(text: string | undefined): Float64Array | undefined {
  if (!text) return undefined;
  const parts = text.split(',');
  if (parts.length !== SIGNATURE_SIZE) return undefined;
  const sig = Float64Array.from(parts, Number);
  return sig.every(Number.isFinite) ? sig : undefined;
}

/**
 * How far apart two stretches of one clip sound: the RMS over the cepstral coefficients of the difference of
 * their means in units of the pooled within-stretch spread (a per-coefficient effect size), and the difference of
 * their F0 medians in semitones. Same speaker, different words: the means move a fraction of a spread.
 */
export function stretchDistance(a: Float64Array, b: Float64Array): { timbre: number; semitones: number } {
  let sum = 0;
  for (let k = 0; k < CEPSTRUM_SIZE; k++) {
    const spread = Math.sqrt((a[2 + CEPSTRUM_SIZE + k] ** 2 + b[2 + CEPSTRUM_SIZE + k] ** 2) / 2);
    const d = spread > 0 ? (a[2 + k] - b[2 + k]) / spread : 0;
    sum += d * d;
  }
  return { timbre: Math.sqrt(sum / CEPSTRUM_SIZE), semitones: b[0] - a[0] };
}

/**
 * The voiced frames of a clip's first and last speech segments (split at pauses of `minPauseSec`), each grown by
 * whole segments until it holds `minVoicedSec` of voiced speech; undefined when the two would meet. Whole
 * phrases are compared, not the first and last seconds: a reader's pitch falls through each phrase and resets
 * after a pause, so a clip's first second sits several semitones above its last (up to 7 on the real samples).
 */
export function endStretches(
  features: FrameFeatures,
  speech: SpeechSpan,
  voiced: Int32Array,
  minPauseSec: number,
  minVoicedSec: number,
): { first: Int32Array; last: Int32Array } | undefined {
  const { stride, frameSec } = features.pitch;
  const pauseFrames = Math.max(1, Math.round(minPauseSec / features.hopSec));
  // segment[i]: the speech segment of voiced frame i, counted from 0.
  const segment = new Int32Array(voiced.length);
  for (let i = 1; i < voiced.length; i++) {
    let silent = 0;
    let longest = 0;
    for (let e = voiced[i - 1] * stride; e < voiced[i] * stride; e++) {
      silent = speech.isSpeech[e] ? 0 : silent + 1;
      if (silent > longest) longest = silent;
    }
    segment[i] = segment[i - 1] + (longest >= pauseFrames ? 1 : 0);
  }
  const least = Math.max(1, Math.round(minVoicedSec / frameSec));
  let a = 0;
  while (a < voiced.length && (a < least || segment[a] === segment[a - 1])) a++;
  let b = voiced.length;
  while (b > 0 && (voiced.length - b < least || segment[b - 1] === segment[b])) b--;
  if (a > b || a === 0 || b === voiced.length) return undefined;
  return { first: voiced.subarray(0, a), last: voiced.subarray(b) };
}
