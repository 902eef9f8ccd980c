// The recognizer's evidence on a transcript (pocketsphinx, US English), and its combination with the
// synth-and-DTW score into one probability that the transcript does not fit the audio.
//
// Forced alignment looks for the transcript's words in the audio in order, each word optional: a wrong
// transcript loses words the audio does not hold (skipped: swapped text, audio cut short), and the words it keeps
// pay for it: a low acoustic score per frame, words squeezed to their shortest possible duration, or long fillers
// between them (speech the transcript does not hold: words dropped from it). Free decoding, when the
// clip is in the recognizer's sample, adds a word error rate against the transcript.
//
// The combination is a logistic regression fitted by scripts/bench-alignment.ts on real English clips (true
// pairs, swapped transcripts, audio cut by 30–40 %, half the words dropped); its weights ship as config defaults.

import { z } from 'zod';
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
  /** Transcript words, and those the dictionary knows (only those go into the grammar). */
  words: number;
  known: number;
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
  /** Start of the first aligned word and end of the last (s): where the recognizer hears the transcript. */
  onsetSec?: number;
  offsetSec?: number;
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
      onsetSec: onset,
      offsetSec: offset,
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

const weight = (value: number, what: string) => z.number().default(value).describe(what);

/** Logistic weights: P(mismatch) = σ(bias + Σ weight · feature). Fitted by scripts/bench-alignment.ts. */
export const fitWeights = (d: Record<string, number>) =>
  z
    .strictObject({
      bias: weight(d.bias, 'intercept'),
      dtwScore: weight(d.dtwScore, 'per unit of the synth-and-DTW `alignment.score`'),
      skipped: weight(d.skipped, 'per unit share of the transcript’s known words the forced alignment skipped'),
      acousticCost: weight(d.acousticCost, 'per unit of negated acoustic log-likelihood per frame (÷ 100)'),
      squeezed: weight(d.squeezed, 'per unit share of words squeezed to their shortest duration'),
      fillerShare: weight(d.fillerShare, 'per unit share of the aligned span in fillers'),
      tailSkipped: weight(d.tailSkipped, 'per unit share of the known words after the last aligned one'),
      stretch: weight(d.stretch, 'per 10 frames (100 ms) per phone of the aligned words'),
      uncovered: weight(d.uncovered, 'per unit share of the speech span outside the aligned words'),
      wer: weight(d.wer, 'per unit of free-decoding WER (capped at 2); 0 when the clip was not decoded'),
      posterior: weight(d.posterior, 'per unit of (1 − mean word posterior) of the free decoding'),
    })
    .prefault({});

export type FitWeights = z.output<ReturnType<typeof fitWeights>>;

/** Share of the speech span [start, end] (s) outside the aligned words: all of it when none was aligned. */
export function uncoveredShare(e: RecognizerEvidence, start: number, end: number): number {
  if (e.onsetSec === undefined || e.offsetSec === undefined || !(end > start)) return 1;
  return Math.min(1, (Math.max(0, e.onsetSec - start) + Math.max(0, end - e.offsetSec)) / (end - start));
}

/** The features the weights multiply, in the weights' units; `uncovered` from `uncoveredShare`. */
export function fitFeatures(e: RecognizerEvidence, dtwScore: number, uncovered: number): Omit<FitWeights, 'bias'> {
  return {
    dtwScore,
    skipped: e.skipped,
    acousticCost: e.acousticCost / 100,
    squeezed: e.squeezed,
    fillerShare: e.fillerShare,
    tailSkipped: e.tailSkipped,
    stretch: e.framesPerPhone / 10,
    uncovered,
    wer: Math.min(2, e.wer ?? 0),
    posterior: e.posterior === undefined ? 0 : 1 - e.posterior,
  };
}

/** P(the transcript does not fit) under the weights. */
export function fitProbability(w: FitWeights, features: Omit<FitWeights, 'bias'>): number {
  let z = w.bias;
  for (const [k, v] of Object.entries(features)) z += w[k as keyof typeof features] * v;
  return 1 / (1 + Math.exp(-z));
}
