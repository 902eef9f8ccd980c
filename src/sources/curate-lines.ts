import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Utterance } from '../types.js';
import { fileWriter } from '../util/jsonl.js';
import { readLines } from '../util/lines.js';
import type { SourceItem } from './types.js';

export interface FilterLinesArgs {
  from: string;
  to: string;
  /** The clip id a line describes; undefined for lines that are not records (header, comment, blank). */
  idOf: (text: string, line: number) => string | undefined;
  isKept: (id: string) => boolean;
  /** Copy lines that are not records (e.g. a CSV header) too. */
  keepNonRecords?: boolean;
}

/**
 * Streams a line-based manifest into a filtered copy: each kept record's line byte-identical, in order,
 * so a training recipe that read the original reads the copy unchanged.
 */
export async function filterLines({
  from,
  to,
  idOf,
  isKept,
  keepNonRecords = false,
}: FilterLinesArgs): Promise<{ kept: number; dropped: number }> {
  await mkdir(dirname(to), { recursive: true });
  const out = fileWriter(to);
  let kept = 0;
  let dropped = 0;
  for await (const { text, raw, line, tooLong } of readLines(from)) {
    const id = tooLong ? undefined : idOf(text, line);
    let write = false;
    if (id === undefined) write = keepNonRecords && !tooLong;
    else if (isKept(id)) {
      kept += 1;
      write = true;
    } else dropped += 1;
    if (write) await out.write(raw);
  }
  await out.close();
  return { kept, dropped };
}

/**
 * Counts the kept and dropped utterances of a layout whose transcripts live one per file (no manifest to filter);
 * `visit` sees each utterance and whether it is kept. The kept clips' own files are placed by src/outputs/curated.ts.
 */
export async function visitKept(
  items: AsyncIterable<SourceItem>,
  isKept: (id: string) => boolean,
  visit: (u: Utterance, kept: boolean) => void = () => {},
): Promise<{ kept: number; dropped: number }> {
  let kept = 0;
  let dropped = 0;
  for await (const item of items) {
    if (!('utterance' in item)) continue;
    const keep = isKept(item.utterance.id);
    visit(item.utterance, keep);
    if (keep) kept += 1;
    else dropped += 1;
  }
  return { kept, dropped };
}
