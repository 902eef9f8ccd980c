import type { Finding, Utterance } from '../types.js';

/** The format a corpus is published in; clips that differ get a finding naming both values. */
export interface NominalFormat {
  sampleRate: number;
  channels: number;
  bitDepth: number;
}

/** A loader yields utterances, and findings for what it could not read (file + line), in file order. */
export type SourceItem = { utterance: Utterance } | { finding: Finding };

export interface CuratedOutput {
  /** Files written, relative to the output folder. */
  files: string[];
  kept: number;
  dropped: number;
}

export interface CurateArgs {
  root: string;
  outDir: string;
  isKept: (id: string) => boolean;
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
  /** Cheap check of the folder's files; `auto` picks the first source that says yes. */
  detect(root: string): Promise<boolean>;
  /** Names the file(s) `detect` looks for, for the error when a forced format does not fit. */
  expects: string;
  read(root: string): AsyncIterable<SourceItem>;
  /** Writes the kept clips back in the source's own layout, so a training recipe reads it unchanged. */
  writeCurated(args: CurateArgs): Promise<CuratedOutput>;
}
