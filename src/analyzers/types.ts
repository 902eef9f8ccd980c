import type { z } from 'zod';
import type { FrameFeatures } from '../features/frames.js';
import type { SpeechSpan } from '../features/speech.js';
import type { Trims } from '../features/trims.js';
import type { Espeak } from '../plugins/espeak.js';
import type { Pocketsphinx } from '../plugins/pocketsphinx.js';
import type { Silero } from '../plugins/silero.js';
import type { Alphabet } from '../text/alphabet.js';
import type { MetricStats } from '../util/metric-stats.js';

export type { MetricStats };
import type { ClipResult, DecodedAudio, FindingSpec, NominalFormat, Origin, Utterance } from '../types.js';

export type { FindingSpec };

/** Raised by the pipeline for any analyzer that throws, so one bug never stops a run. */
export const analyzerFindings: Record<string, FindingSpec> = {
  'analyzer.failed': { severity: 'error', description: 'an analyzer threw on this clip (a bug: please report it)' },
  'features.failed': {
    severity: 'error',
    description: "computing the clip's frame features threw (a bug, or audio no analyzer can read); not analysed",
  },
};

/** A finding as an analyzer reports it; the pipeline adds severity (from config), clip id and origin. */
export interface FindingDraft {
  code: string;
  message: string;
  value?: number;
  threshold?: number;
  unit?: string;
  /** The metric `value` comes from, so the report can say where it sits in the dataset (percentile). */
  metric?: string;
}

/** What an analyzer may know about the dataset's layout. */
export interface SourceInfo {
  name: string;
  language?: string;
  nominalFormat?: NominalFormat;
  expectsNormalizedText: boolean;
}

/** What every analyzer may know about the run: the dataset's layout and the alphabet built from the config. */
export interface RunFacts {
  source: SourceInfo;
  alphabet: Alphabet;
  /** The phonemizer the run opened (`espeak-ng 1.51`), or null when none ran. */
  phonemizer: string | null;
}

export interface ClipContext<C, P = unknown> {
  utterance: Utterance;
  audio: DecodedAudio;
  features: FrameFeatures;
  /** Where the clip's speech is: found before any analyzer runs, from the silence analyzer's settings. */
  speech: SpeechSpan;
  /** The trims the silence analyzer suggests: the speech span with its `trimMarginSec` each side. */
  trims: Trims;
  config: C;
  source: SourceInfo;
  alphabet: Alphabet;
  /** What this analyzer's `prepare` resolved to for this clip; undefined when it has none. */
  prepared?: P;
}

/** Helper programs a run (or worker) opened for its analyzers, and closes when it ends. */
export interface ClipTools {
  /** espeak-ng when it is installed and some enabled analyzer needs it. */
  espeak?: Espeak;
  /** pocketsphinx (US English) when it is installed and some enabled analyzer needs it. */
  pocketsphinx?: Pocketsphinx;
  /** Silero VAD when the plugin is installed and the silence analyzer may use it. */
  silero?: Silero;
}

/** What `prepare` may look at: the transcript, the config and the run's tools, and the audio once decoded. */
export interface PrepareContext<C> {
  utterance: Utterance;
  config: C;
  source: SourceInfo;
  tools: ClipTools;
  /** The clip's decoded audio, for a program that must hear it (a recognizer); rejects when decoding fails. */
  audio: Promise<DecodedAudio>;
}

export interface ClipAnalysis {
  metrics: Record<string, number>;
  findings: FindingDraft[];
  /** Derived text worth keeping with the clip (e.g. its phonemes), keyed `<analyzer>.<name>`. */
  annotations?: Record<string, string>;
}

/**
 * A clip analyzer as the clip workers run it: plain code and data, no zod. Its config schema lives beside it in
 * `<name>-config.ts` and in the config registry (`clip/configs.ts`), which only the main thread loads; `C` is that
 * schema's output type, imported as a type.
 */
export interface ClipAnalyzer<C = unknown, P = unknown> {
  name: string;
  description: string;
  /** Metric key → meaning and unit. Keys are `<analyzer>.<metric>`. */
  metrics: Record<string, string>;
  findings: Record<string, FindingSpec>;
  /**
   * Asynchronous work on the transcript (an external program such as espeak-ng), started before the clip is
   * decoded and awaited before `analyze`, which gets the result as `ctx.prepared`; `analyze` stays synchronous.
   * A rejection is reported as `analyzer.failed`.
   */
  prepare?(ctx: PrepareContext<C>): Promise<P>;
  /** The helper programs `prepare` needs under this config; the run opens only those. */
  uses?(config: C): (keyof ClipTools)[];
  analyze(ctx: ClipContext<C, P>): ClipAnalysis;
}

export interface ClipFindingDraft extends FindingDraft {
  clipId: string;
  origin?: Origin;
}

/** What a dataset analyzer's late findings come in: an array when few, a generator over its spill file when many. */
export type LateDrafts = Iterable<ClipFindingDraft>;

export interface DatasetOutcome<R, F extends LateDrafts = LateDrafts> {
  summary: R;
  /**
   * Findings only visible once the whole set is known (outliers, duplicates, off-majority formats), read once, after
   * `summary`: a generator over a spill file keeps a million of them off the heap. A clip's findings come together.
   */
  clipFindings: F;
}

/** Folds clip results as they stream in; memory grows with what it must keep, never with audio. */
export interface DatasetAccumulator<R, F extends LateDrafts = LateDrafts> {
  add(clip: ClipResult): void;
  finish(stats: MetricStats): DatasetOutcome<R, F>;
  /** Releases what the accumulator holds outside memory (a spill file); called once the run's outputs are written. */
  close?(): void;
}

export interface DatasetAnalyzer<
  S extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  N extends string = string,
  F extends LateDrafts = LateDrafts,
> {
  name: N;
  description: string;
  config: S;
  findings: Record<string, FindingSpec>;
  /** Shape of this analyzer's section in `report.json` (`dataset.<name>`). */
  summary: R;
  create(config: z.output<S>, facts: RunFacts): DatasetAccumulator<z.output<R>, F>;
}

/** `C` (the config's type) is given, as nothing in the analyzer's own code carries it. */
export function defineClipAnalyzer<C, P = unknown>(analyzer: ClipAnalyzer<C, P>): ClipAnalyzer<C, P> {
  return analyzer;
}

export function defineDatasetAnalyzer<
  S extends z.ZodType,
  R extends z.ZodType,
  N extends string,
  F extends LateDrafts = LateDrafts,
>(analyzer: DatasetAnalyzer<S, R, N, F>): DatasetAnalyzer<S, R, N, F> {
  return analyzer;
}
