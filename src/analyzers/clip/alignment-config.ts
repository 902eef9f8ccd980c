// The alignment analyzer's settings: the synth-and-DTW check's, and the recognizer's with the logistic weights
// scripts/bench-alignment.ts fitted (see alignment.ts for what was measured).

import { z } from 'zod';
import { ALIGN_BEAM } from '../../plugins/pocketsphinx.js';

// Every weight is ≥ 0 and every feature grows with the misfit: the score is monotone in each piece of evidence,
// so no feature can buy back another's alarm (the earlier unconstrained fit gave two features negative weights).
const weight = (value: number, what: string) => z.number().min(0).default(value).describe(what);

/** Logistic weights: P(mismatch) = σ(bias + Σ weight · feature). Fitted by scripts/bench-alignment.ts. */
export const fitWeights = (d: Record<string, number>) =>
  z
    .strictObject({
      bias: z.number().default(d.bias).describe('intercept'),
      dtwScore: weight(d.dtwScore, 'per unit of the synth-and-DTW `alignment.score`'),
      skipped: weight(d.skipped, 'per unit share of the transcript’s known words the forced alignment skipped'),
      tailSkipped: weight(d.tailSkipped, 'per unit share of the known words after the last aligned one'),
      uncovered: weight(d.uncovered, 'per unit share of the speech span outside the aligned words'),
      acousticCost: weight(d.acousticCost, 'per unit of negated acoustic log-likelihood per frame (÷ 100)'),
      slow: weight(
        d.slow,
        'per unit of ln(speech frames per transcript phone ÷ `framesPerPhone`) above 0: speech the transcript lacks',
      ),
      fast: weight(
        d.fast,
        'per unit of ln(`framesPerPhone` ÷ speech frames per transcript phone) above 0: a transcript longer than the audio',
      ),
      wer: weight(d.wer, 'per unit of free-decoding WER (capped at 2); 0 when the clip was not decoded'),
      posterior: weight(d.posterior, 'per unit of (1 − mean word posterior) of the free decoding'),
    })
    .prefault({});

export type FitWeights = z.output<ReturnType<typeof fitWeights>>;

export const trimCheckConfig = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Where the recognizer aligned a transcript that fits, check the suggested trims against its first and last word (`alignment.trim_cuts_speech`).',
      ),
    maxOutsideSec: z
      .number()
      .min(0)
      .default(0.2)
      .describe(
        'Aligned speech (s) a trim may cut at either end before it is a finding: pocketsphinx places word edges to a frame or two, and a word’s faint release is no loss.',
      ),
    maxSecPerPhone: z
      .number()
      .positive()
      .default(0.25)
      .describe(
        'An edge word lasting longer than this per phone (s) is taken as stretched over noise beyond the speech, and counts from its inner end only. Edge words of the benchmark’s clean true pairs: at most 0.235 s per phone; stretched ones under 20 dB pink noise: 0.30 and more.',
      ),
  })
  .prefault({});

export type TrimCheckConfig = z.output<typeof trimCheckConfig>;

/** Logistic weights fitted by scripts/bench-alignment.ts on the real English clips (forced alignment only). */
const FITTED_WEIGHTS = {
  bias: -24.58,
  dtwScore: 28.41,
  skipped: 2.17,
  tailSkipped: 11.51,
  uncovered: 3.25,
  acousticCost: 9.74,
  slow: 4.72,
  fast: 0.23,
  wer: 0,
  posterior: 0,
};
/** The same with free decoding on every pair (`--decode`): the WER takes some of the acoustic cost's and pace's part. */
const FITTED_DECODED = {
  bias: -25.59,
  dtwScore: 28.27,
  skipped: 2.3,
  tailSkipped: 11.61,
  uncovered: 2.65,
  acousticCost: 7.31,
  slow: 3.74,
  fast: 0.41,
  wer: 2.23,
  posterior: 0,
};

export const alignmentConfig = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Align each transcript with its audio through an espeak-ng reading (aeneas’ method). Off by default (~40 ms of espeak-ng per clip); `--profile deep` turns it on. Needs espeak-ng (GPL: on PATH or `TTS_AUDIT_ESPEAK`, never bundled).',
      ),
    fallbackLanguage: z
      .string()
      .default('en')
      .describe('Language of clips whose transcript and source name none (ISO 639-1, or any espeak-ng voice).'),
    bandSec: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Half-width of the Sakoe–Chiba band around the corner-to-corner path (s): how far the recording’s timing may stray from the reading’s. Wider lets a wrong transcript find a cheap path.',
      ),
    expectedDurationRatio: z
      .number()
      .positive()
      .default(1.15)
      .describe(
        'Typical speech duration of a recording over espeak-ng’s reading at 175 words/min (median of the benchmark’s true pairs: 1.13; 0.9–2.5 across its speakers).',
      ),
    durationTolerance: z
      .number()
      .min(1)
      .default(2)
      .describe(
        'A duration ratio within this factor of `expectedDurationRatio` is a speaker’s own pace and costs nothing; beyond it the score grows with |ln ratio|.',
      ),
    maxSpeechSec: z
      .number()
      .positive()
      .default(60)
      .describe(
        'Clips with more speech than this are not aligned: the coverage pass grows with the square of the length (~0.2 s of DTW at 60 s).',
      ),
    maxScore: z
      .number()
      .positive()
      .default(0.75)
      .describe(
        'Alignment score above which the transcript and the audio disagree (`alignment.mismatch`); true pairs in the benchmark score 0.61–0.71, 0.62–0.72 under 20 dB of pink noise.',
      ),
    recognizer: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'With the alignment on, force each English transcript through pocketsphinx (BSD; Debian `pocketsphinx` and `pocketsphinx-en-us`, found at run time, or `TTS_AUDIT_POCKETSPHINX`) and combine its evidence with the DTW score.',
          ),
        decodeShare: z
          .number()
          .min(0)
          .max(1)
          .default(0)
          .describe(
            'Share of English clips (a seeded hash of the clip id) that pocketsphinx also decodes freely for a word error rate: ~0.6× real time per CPU second, against 14× for the forced alignment. `--asr-sample` sets it.',
          ),
        seed: z.number().int().default(1).describe('Seed of the free-decoding sample.'),
        beam: z
          .number()
          .positive()
          .max(1)
          .default(ALIGN_BEAM)
          .describe(
            'Pruning beam of the forced alignment, its word beam 1e10 wider (pocketsphinx’s defaults, 1e-48 and 7e-29, lose their way in long transcripts: 10 of 36 words kept in a 15 s true pair; 1e-60 keeps them at 2.3× the CPU).',
          ),
        framesPerPhone: z
          .number()
          .positive()
          .default(9)
          .describe(
            'Typical 10 ms frames of speech per phone of the transcript (the benchmark’s true pairs: median 9.1, 5.3–12.8); the combination weighs the log of a clip’s pace against it.',
          ),
        maxProbability: z
          .number()
          .min(0)
          .max(1)
          .default(0.8)
          .describe(
            'Combined probability of a mismatch above which `alignment.mismatch` is raised. On the benchmark, weights refitted without the clip: 0 of 44 true pairs and 0 of 24 under 20 dB pink noise above 0.8 (0.7: 0 and 1), with 24/24 swapped transcripts, 21/24 cut, 13/20 and 17/20 half-dropped caught.',
          ),
        weights: fitWeights(FITTED_WEIGHTS).describe(
          'Logistic weights (each ≥ 0) for clips with forced alignment only, fitted by scripts/bench-alignment.ts on all its pairs.',
        ),
        weightsDecoded: fitWeights(FITTED_DECODED).describe(
          'Logistic weights (each ≥ 0) for clips also decoded freely, fitted by `scripts/bench-alignment.ts --decode` on all its pairs: the WER weighs in, the mean word posterior came out at 0.',
        ),
      })
      .prefault({}),
    trimCheck: trimCheckConfig,
  })
  .prefault({});

export type AlignmentConfig = z.output<typeof alignmentConfig>;
