import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

export const KEPT_LIST = 'kept.txt';

/**
 * `kept.txt` in `outDir`: the audio path of each kept clip, one per line in read order (layouts whose
 * transcripts live one per file have no manifest to filter). `visit` sees every utterance and whether it is kept.
 */
export async function writeKeptList(
  outDir: string,
  items: AsyncIterable<SourceItem>,
  isKept: (id: string) => boolean,
  visit: (u: Utterance, kept: boolean) => void = () => {},
): Promise<{ kept: number; dropped: number }> {
  await mkdir(outDir, { recursive: true });
  const out = fileWriter(join(outDir, KEPT_LIST));
  let kept = 0;
  let dropped = 0;
  try {
    for await (const item of items) {
      if (!('utterance' in item)) continue;
      const u = item.utterance;
      const keep = isKept(u.id);
      visit(u, keep);
      if (!keep) {
        dropped += 1;
        continue;
      }
      kept += 1;
      if (u.audio.kind === 'file') await out.write(`${u.audio.relPath}\n`);
    }
  } finally {
    await out.close();
  }
  return { kept, dropped };
}
