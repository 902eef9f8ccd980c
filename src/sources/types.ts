import type { Finding, FindingSpec, NominalFormat, Utterance } from '../types.js';
import type { HubLimits } from './hub/limits.js';

export type { NominalFormat };

export interface SourceFacts {
  title?: string;
  language?: string;
  nominalFormat?: NominalFormat;
  expectsNormalizedText?: boolean;
}

/** A loader yields utterances, and findings for what it could not read (file + line), in file order. */
export type SourceItem = { utterance: Utterance } | { finding: Finding };

export interface CuratedOutput {
  /** Files written, relative to the output folder. */
  files: string[];
  kept: number;
  dropped: number;
}

/** Fields a tabular manifest (CSV/TSV, Hub parquet) can map to a column. */
export type ColumnField =
  | 'id'
  | 'audio'
  | 'text'
  | 'normalizedText'
  | 'speaker'
  | 'gender'
  | 'accent'
  | 'language'
  | 'split'
  | 'duration'
  | 'offset';

/** Choices a layout may offer; each loader reads the ones that concern it and ignores the rest. */
export interface SourceOptions {
  /** VCTK 0.92: which microphone's recordings to read. Default `mic1`. */
  mic?: 'mic1' | 'mic2' | 'both';
  /** A manifest file inside the root (NeMo JSONL, CSV/TSV), when the source is a file or a folder holds several. */
  manifest?: string;
  /**
   * Manifests (NeMo, CSV/TSV): folders outside the dataset root whose audio the manifest may name, usually by
   * absolute path. Absolute, or relative to the working folder.
   */
  audioRoots?: string[];
  /** Tabular manifests: field → column name, overriding the loader's guesses. */
  columns?: Partial<Record<ColumnField, string>>;
  /** Hub datasets: the config ("subset") and split to read. */
  subset?: string;
  split?: string;
  /** Hub datasets: where downloaded parquet files are kept (default `~/.cache/tts-audit`). */
  cacheDir?: string;
  /** Hub endpoint and token; default to the `HF_ENDPOINT` and `HF_TOKEN` environment variables. */
  hubUrl?: string;
  token?: string;
  /** Manifest lines longer than this are skipped with a finding: `limits.maxManifestLineKB`, set by the run. */
  maxLineBytes?: number;
  /** Hub requests: timeouts, retries, page and size caps, over `DEFAULT_HUB_LIMITS` (./hub/limits.ts). */
  hubLimits?: Partial<HubLimits>;
}

export interface CurateArgs {
  root: string;
  outDir: string;
  isKept: (id: string) => boolean;
  options: SourceOptions;
}

/**
 * One dataset layout. Adding a corpus means adding one file that exports a `Source`
 * and one line in `./index.ts`.
 */
export interface Source {
  name: string;
  title: string;
  language?: string;
  nominalFormat?: NominalFormat;
  /** Whether the transcript the model trains on is expected to be normalized (numbers spelled out). */
  expectsNormalizedText: boolean;
  /** Reads the manifest file the user named (`options.manifest`): tried before the folder layouts when one is named. */
  readsNamedManifest?: boolean;
  /** Cheap check of the folder's files; `auto` picks the first source that says yes. */
  detect(root: string, options: SourceOptions): Promise<boolean>;
  /** Names the file(s) `detect` looks for, for the error when a forced format does not fit. */
  expects: string;
  /** About how many utterances `read` yields, when a quick look can tell (a line count); for progress only. */
  count?(root: string, options: SourceOptions): Promise<number | undefined>;
  /** Streams the records in manifest order; never holds a whole manifest in memory. */
  read(root: string, options: SourceOptions): AsyncIterable<SourceItem>;
  /**
   * What this particular dataset is, when the layout alone cannot say: which release (VCTK 0.80/0.92),
   * which corpus a Hub copy holds (its published format and language). Fields left out fall back to
   * the source's own.
   */
  inspect?(root: string, options: SourceOptions): Promise<SourceFacts>;
  /** Codes only this layout raises, beside the shared `source.*` ones of `./findings.ts`. */
  findings?: Record<string, FindingSpec>;
  /**
   * The names `writeCurated` gives its files when they come from the dataset (a manifest kept under its own name),
   * so that a clash with curated/'s other files is refused before the clips are analysed, not after.
   */
  curatedNames?(root: string, options: SourceOptions): Promise<string[]>;
  /** Writes the kept clips back in the source's own layout, so a training recipe reads it unchanged. */
  writeCurated(args: CurateArgs): Promise<CuratedOutput>;
}
