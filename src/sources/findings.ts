import type { FindingSpec } from '../types.js';

/** Findings any loader may raise about a manifest or tree; a layout's own codes live in its loader file. */
export const manifestFindings: Record<string, FindingSpec> = {
  'source.malformed_line': {
    severity: 'error',
    description: 'a manifest line could not be parsed (file and line named); the run goes on',
  },
  'source.unreadable_file': {
    severity: 'error',
    description: 'a transcript or list file is a link out of the dataset, or not a regular file; not read',
  },
  'source.unreadable_shard': {
    severity: 'error',
    description:
      'a parquet file, or a row group of it, cannot be read (damaged, or its decoding ran past the time bound); its rows are skipped, the run goes on',
  },
  'source.duplicate_id': { severity: 'error', description: 'a clip id repeats an earlier line; the repeat is skipped' },
  'source.path_escape': {
    severity: 'error',
    description: "a manifest's audio path leaves the dataset root (`../`, or absolute elsewhere); refused",
  },
  'source.no_transcript': {
    severity: 'warning',
    description: 'an audio file has no transcript (e.g. VCTK p315); it is not audited',
  },
  'source.unknown_speaker': { severity: 'info', description: "a clip's speaker is not in the corpus' speaker table" },
};
