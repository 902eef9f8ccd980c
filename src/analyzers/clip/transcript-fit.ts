// The recognizer's evidence on a transcript (pocketsphinx, US English), and its combination with the
// synth-and-DTW score into one probability that the transcript does not fit the audio.
//
// Forced alignment looks for the transcript's words in the audio in order, each word optional: a wrong
// transcript loses words the audio does not hold (skipped: swapped text; skipped at the end: audio cut short),
// the words it keeps pay for it with a low acoustic score per frame, and speech outside the aligned words is
// speech the transcript lacks. The speech's pace against the transcript's phones catches what alignment
// forgives: half the words dropped leave twice the frames per phone (the aligner stretches the rest over the
// gaps), audio cut short leaves too few. Free decoding, when the clip is in the recognizer's sample, adds a word
// error rate against the transcript. Squeezed words and filler shares are reported but weigh nothing: on the
// benchmark they separated nothing once the rest was in (ROC AUC ≤ 0.8 alone).
//
// The combination is a logistic regression with non-negative weights, fitted by scripts/bench-alignment.ts on
// real English clips (true pairs, swapped transcripts, audio cut by 30–40 %, half the words dropped); its weights
// ship as config defaults.

import { round } from '../../util/stats.js';
import type { FindingDraft } from '../types.js';
import type { FitWeights } from './alignment-config.js';
import type { AlignmentScores } from './alignment-dtw.js';
import type { WordSegment } from '../../plugins/pocketsphinx-parse.js';
import { isFiller } from '../../plugins/pocketsphinx-parse.js';

/** A transcript as the dictionary spells words: lowercase, apostrophes kept inside words, other marks gone. */
export function dictionaryWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^a-z0-9']+/g, ' ')
    .split(' ')
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** Word-level edit distance over the reference length (insertions count: a WER may exceed 1). */
export function wordErrorRate(reference: string[], hypothesis: string[]): number {
  if (reference.length === 0) return hypothesis.length > 0 ? 1 : 0;
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[hypothesis.length] / reference.length;
}

export interface RecognizerEvidence {
  /** Transcript words, and those the dictionary knows (only those go into the grammar), and their phones. */
  words: number;
  known: number;
  knownPhones: number;
  /** Share of the known words the forced alignment skipped (1 when it found none). */
  skipped: number;
  /** Mean acoustic log-likelihood per 10 ms frame of the aligned words, negated (higher is worse); 0 if none. */
  acousticCost: number;
  /** Share of aligned words at (or within a frame per phone of) their shortest possible duration. */
  squeezed: number;
  /** Share of the span from the first aligned word's start to the last one's end spent in fillers. */
  fillerShare: number;
  /** Share of the known words after the last aligned one. */
  tailSkipped: number;
  /** Frames (10 ms) per phone of the aligned words: words stretched over speech the transcript lacks run long. */
  framesPerPhone: number;
  /**
   * The first and the last aligned word: the first's start and the last's end are where the recognizer hears the
   * transcript; their phones say how long each may plausibly last (the trim check).
   */
  firstWord?: { startSec: number; endSec: number; phones: number };
  lastWord?: { startSec: number; endSec: number; phones: number };
  /** From free decoding, when the clip was decoded: WER against the transcript and the mean word posterior. */
  wer?: number;
  posterior?: number;
}

const FRAME_SEC = 0.01;

/**
 * Share of the known words after the last one aligned: audio cut short loses the end of its transcript. The last
 * aligned word is taken at its latest place in the transcript, so a repeated word never inflates the share.
 */
export function tailSkipped(known: string[], aligned: string[]): number {
  const last = aligned.length ? known.lastIndexOf(aligned[aligned.length - 1]) : -1;
  return known.length ? (known.length - 1 - last) / known.length : 0;
}
// Each phone is a 3-state HMM: a word of n phones lasts at least 3n frames.
const FRAMES_PER_PHONE = 3;

const edgeWord = (s: WordSegment, phones: (w: string) => number | undefined) => ({
  startSec: s.startSec,
  endSec: s.endSec,
  phones: phones(s.word) ?? 1,
});

/** Evidence from the forced alignment (`aligned`) and, when run, the free decoding (`decoded`). */
export function recognizerEvidence(
  words: string[],
  phones: (w: string) => number | undefined,
  aligned: WordSegment[],
  decoded?: WordSegment[],
): RecognizerEvidence {
  const known = words.filter((w) => phones(w) !== undefined);
  const real = aligned.filter((s) => !isFiller(s.word));
  const out: RecognizerEvidence = {
    words: words.length,
    known: known.length,
    knownPhones: known.reduce((sum, w) => sum + (phones(w) ?? 0), 0),
    skipped: known.length ? Math.max(0, 1 - real.length / known.length) : 1,
    acousticCost: 0,
    squeezed: 0,
    fillerShare: 0,
    tailSkipped: known.length ? 1 : 0,
    framesPerPhone: 0,
  };
  if (real.length > 0) {
    let [frames, acoustic, squeezed, phoneCount] = [0, 0, 0, 0];
    for (const s of real) {
      const n = Math.round((s.endSec - s.startSec) / FRAME_SEC);
      const k = phones(s.word) ?? 1;
      frames += n;
      phoneCount += k;
      acoustic += s.acoustic;
      if (n <= (FRAMES_PER_PHONE + 1) * k) squeezed += 1;
    }
    const [onset, offset] = [real[0].startSec, real[real.length - 1].endSec];
    // Between the words: a pause, or speech the transcript lacks (the search labels both silence).
    const filler = aligned
      .filter((s) => isFiller(s.word) && s.startSec >= onset && s.endSec <= offset)
      .reduce((sum, s) => sum + s.endSec - s.startSec, 0);
    Object.assign(out, {
      acousticCost: -acoustic / Math.max(1, frames),
      squeezed: squeezed / real.length,
      fillerShare: filler / Math.max(FRAME_SEC, offset - onset),
      tailSkipped: tailSkipped(
        known,
        real.map((s) => s.word),
      ),
      framesPerPhone: frames / phoneCount,
      firstWord: edgeWord(real[0], phones),
      lastWord: edgeWord(real[real.length - 1], phones),
    });
  }
  if (decoded) {
    const heard = decoded.filter((s) => !isFiller(s.word));
    out.wer = wordErrorRate(
      words,
      heard.map((s) => s.word),
    );
    out.posterior = heard.length ? heard.reduce((sum, s) => sum + s.posterior, 0) / heard.length : 0;
  }
  return out;
}

export type { FitWeights };
export type FitFeatures = Omit<FitWeights, 'bias'>;
export const FIT_FEATURES = [
  'dtwScore',
  'skipped',
  'tailSkipped',
  'uncovered',
  'acousticCost',
  'slow',
  'fast',
  'wer',
  'posterior',
] as const satisfies readonly (keyof FitFeatures)[];

/** Share of the speech span [start, end] (s) outside the aligned words: all of it when none was aligned. */
export function uncoveredShare(e: RecognizerEvidence, start: number, end: number): number {
  if (!e.firstWord || !e.lastWord || !(end > start)) return 1;
  const [onset, offset] = [e.firstWord.startSec, e.lastWord.endSec];
  return Math.min(1, (Math.max(0, onset - start) + Math.max(0, end - offset)) / (end - start));
}

/** 10 ms frames of speech per phone of the transcript's known words: its pace if the transcript is right. */
export const speechFramesPerPhone = (e: RecognizerEvidence, speechSec: number) =>
  e.knownPhones > 0 ? speechSec / FRAME_SEC / e.knownPhones : undefined;

/**
 * The features the weights multiply, in the weights' units. `uncovered` from `uncoveredShare`, `pace` from
 * `speechFramesPerPhone`, `typicalPace` the config's `framesPerPhone`. With no word aligned, the acoustic cost
 * is that of the worst true pair the benchmark saw (`NO_WORDS_COST`): nothing heard is no evidence of fit.
 */
export function fitFeatures(
  e: RecognizerEvidence,
  dtwScore: number,
  uncovered: number,
  pace: number | undefined,
  typicalPace: number,
): FitFeatures {
  const lnPace = pace === undefined || !(pace > 0) ? 0 : Math.log(pace / typicalPace);
  return {
    dtwScore,
    skipped: e.skipped,
    tailSkipped: e.tailSkipped,
    uncovered,
    acousticCost: (e.firstWord === undefined ? NO_WORDS_COST : e.acousticCost) / 100,
    slow: Math.max(0, lnPace),
    fast: Math.max(0, -lnPace),
    wer: Math.min(2, e.wer ?? 0),
    posterior: e.posterior === undefined ? 0 : 1 - e.posterior,
  };
}
const NO_WORDS_COST = 40;

/** P(the transcript does not fit) under the weights. */
export function fitProbability(w: FitWeights, features: FitFeatures): number {
  let z = w.bias;
  for (const k of FIT_FEATURES) z += w[k] * features[k];
  return 1 / (1 + Math.exp(-z));
}

/** The evidence as `alignment.asr_*` metrics, the speech span [speechStart, speechEnd] (s) for the gaps. */
export function evidenceMetrics(e: RecognizerEvidence, speechStart: number, speechEnd: number): Record<string, number> {
  const m: Record<string, number> = {
    'alignment.asr_known_share': e.words ? e.known / e.words : 0,
    'alignment.asr_skipped': e.skipped,
    'alignment.asr_uncovered': uncoveredShare(e, speechStart, speechEnd),
  };
  if (e.firstWord && e.lastWord) {
    const [onset, offset] = [e.firstWord.startSec, e.lastWord.endSec];
    Object.assign(m, {
      'alignment.asr_acoustic_cost': e.acousticCost,
      'alignment.asr_squeezed': e.squeezed,
      'alignment.asr_filler_share': e.fillerShare,
      'alignment.asr_tail_skipped': e.tailSkipped,
      'alignment.asr_frames_per_phone': e.framesPerPhone,
      'alignment.asr_onset_sec': onset,
      'alignment.asr_offset_sec': offset,
      'alignment.asr_onset_gap_sec': onset - speechStart,
      'alignment.asr_offset_gap_sec': speechEnd - offset,
    });
  }
  if (e.wer !== undefined) m['alignment.asr_wer'] = e.wer;
  if (e.posterior !== undefined) m['alignment.asr_posterior'] = e.posterior;
  return m;
}

/** The one transcript-fit finding: the combined probability, with the evidence that moved it. */
export function combinedFinding(p: number, s: AlignmentScores, e: RecognizerEvidence, limit: number): FindingDraft {
  const heard = `recognizer: ${Math.round(e.skipped * 100)} % of words not found, acoustic cost ${round(e.acousticCost, 0)}/frame, ${Math.round(e.squeezed * 100)} % squeezed, ${Math.round(e.fillerShare * 100)} % filler`;
  const wer = e.wer === undefined ? '' : `, WER ${round(e.wer, 2)}`;
  return {
    code: 'alignment.mismatch',
    message: `transcript does not fit the audio (probability ${round(p, 2)}, limit ${limit}): ${heard}${wer}; DTW score ${round(s.score, 2)}`,
    value: p,
    threshold: limit,
    metric: 'alignment.fit_probability',
  };
}
