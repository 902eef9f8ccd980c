import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, Origin } from '../types.js';
import { tempNameFor } from '../util/atomic.js';
import { jsonlWriter } from '../util/jsonl.js';

// Findings only the whole set shows (speaking-rate and phoneme-rate outliers, duplicate transcripts, formats off
// the majority) are known after every clip's line is in clips.jsonl. Rewriting a million-line log to add them
// would cost a second copy of it; they go to this file instead, one line per clip that has any, in the order
// clips first had one (each analyzer's clip order, one analyzer after another).
// A clip's full list is its clips.jsonl line plus its line here.

export const DATASET_FINDINGS_FILE = 'dataset-findings.jsonl';

export interface DatasetFindingsLine {
  id: string;
  origin?: Origin;
  findings: Omit<Finding, 'clipId' | 'origin'>[];
}

/** Writes the lines (one a clip, grouped by the fold) under a working name renamed into place. */
export async function writeDatasetFindings(out: string, lines: Iterable<DatasetFindingsLine>): Promise<string> {
  const path = join(out, DATASET_FINDINGS_FILE);
  const temp = tempNameFor(path);
  try {
    const writer = jsonlWriter(temp);
    for (const line of lines) await writer.write(line);
    await writer.close();
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return DATASET_FINDINGS_FILE;
}
