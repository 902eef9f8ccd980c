import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { readLines } from '../util/lines.js';

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
export async function filterLines({ from, to, idOf, isKept, keepNonRecords = false }: FilterLinesArgs): Promise<{ kept: number; dropped: number }> {
  await mkdir(dirname(to), { recursive: true });
  const out = createWriteStream(to);
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
    if (write && !out.write(raw)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { kept, dropped };
}
