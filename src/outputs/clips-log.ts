import { open, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClipResult } from '../types.js';
import { jsonlWriter } from '../util/jsonl.js';
import { readLines } from '../util/lines.js';
import { findingSchema } from './report-schema.js';
import { CLIPS_FILE, CLIPS_PART, fileSha256, OutFolderError } from './run-record.js';

// clips.jsonl is written as the clips finish, in source order, under a working name; `--resume` reads the clips
// already there back (so they are not analysed again), after cutting a line a kill left torn.

const origin = z.object({ file: z.string(), line: z.number().int().optional(), row: z.number().int().optional() });
const format = z.object({ codec: z.string(), sampleRate: z.number(), channels: z.number(), bitDepth: z.number() });

/** One line of clips.jsonl: a clip result with its findings, severities applied. */
export const clipLineSchema = z.object({
  id: z.string(),
  text: z.string(),
  normalizedText: z.string().optional(),
  speaker: z.string().optional(),
  gender: z.string().optional(),
  accent: z.string().optional(),
  language: z.string().optional(),
  split: z.string().optional(),
  meta: z.record(z.string(), z.string()).optional(),
  origin,
  audioPath: z.string(),
  format: format.optional().describe('absent when the audio could not be decoded'),
  metrics: z.record(z.string(), z.number()),
  annotations: z.record(z.string(), z.string()).optional(),
  findings: z.array(findingSchema),
});

/**
 * One clips.jsonl line, validated; returned as written (not as the schema rebuilds it) so that a line read back
 * and written again, by a resumed run or a merge, keeps its bytes.
 */
export function parseClipLine(text: string): ClipResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return clipLineSchema.safeParse(data).success ? (data as ClipResult) : undefined;
}

/** Lines longer than this are not ours (a transcript is capped far below): the file was damaged. */
export const MAX_CLIP_LINE_BYTES = 64 << 20;

/** Bytes and lines of the whole lines at the start of a clips log; a torn or damaged tail is left out. */
async function wholePrefix(path: string): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  try {
    for await (const l of readLines(path, { maxLineBytes: MAX_CLIP_LINE_BYTES })) {
      if (l.tooLong || !l.raw.subarray(-1).equals(Buffer.from('\n'))) break;
      if (!parseClipLine(l.text)) break;
      bytes += l.raw.length;
      lines += 1;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { bytes, lines };
}

export interface ClipsLog {
  /** Clips a resumed run already has, in source order; empty for a new run. */
  done: AsyncIterator<ClipResult>;
  write(clip: ClipResult): Promise<void>;
  /** Closes the file; `finished` renames it into place and returns its line count and hash. */
  close(finished: boolean): Promise<{ lines: number; sha256: string } | undefined>;
}

export async function openClipsLog(out: string, resume: boolean): Promise<ClipsLog> {
  const part = join(out, CLIPS_PART);
  let lines = 0;
  let done: AsyncIterator<ClipResult> = (async function* () {})();
  if (resume) {
    const prefix = await wholePrefix(part);
    const handle = await open(part, 'a').catch(() => undefined);
    await handle?.close();
    await truncate(part, prefix.bytes);
    lines = prefix.lines;
    done = (async function* () {
      let n = 0;
      for await (const l of readLines(part, { maxLineBytes: MAX_CLIP_LINE_BYTES })) {
        if (n++ >= prefix.lines) return;
        yield parseClipLine(l.text)!;
      }
    })();
  }
  const writer = jsonlWriter(part, { append: resume });
  return {
    done,
    async write(clip) {
      lines += 1;
      await writer.write(clip);
    },
    async close(finished) {
      await writer.close();
      if (!finished) return undefined;
      const path = join(out, CLIPS_FILE);
      await rename(part, path);
      return { lines, sha256: await fileSha256(path) };
    },
  };
}

/** A clip read back from the log that the source no longer lists at the same place: resuming would mix two runs. */
export function resumeMismatch(out: string, expected: string, found: string): OutFolderError {
  return new OutFolderError(
    `${out}/${CLIPS_PART}: the run being resumed has clip ${found} where the source now lists ${expected}; the dataset changed: run without --resume`,
  );
}
