import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { ClipResult } from '../types.js';
import { MAX_CLIP_LINE_BYTES, parseClipLine } from './clips-log.js';
import type { AuditReport } from './report-schema.js';

// report.json keeps the worst clips per finding, not every clip (so the report stays small at any corpus size),
// and a finding holds no transcript or audio path. report.html shows both for exactly those clips, read back from
// the clips log in one pass that parses only the lines it needs.

/** What report.html shows of a clip beyond its findings. */
export interface ClipDetails {
  text: string;
  speaker?: string;
  audioPath: string;
  metrics: Record<string, number>;
  /** Every finding of the clip, not only those it is among the worst of. */
  findings: { code: string; severity: 'error' | 'warning' | 'info' }[];
  /** The clip's audio as a path relative to the report's folder, when it is a local file that exists. */
  audioHref?: string;
}

/** Ids of every clip the report names: the worst clips of each finding. */
export function namedClipIds(report: AuditReport): Set<string> {
  const ids = new Set<string>();
  for (const f of Object.values(report.findings))
    for (const w of f.worst) if (w.clipId !== undefined) ids.add(w.clipId);
  return ids;
}

const ID_PREFIX = Buffer.from('{"id":"');

/** The id of a clips.jsonl line read from its opening bytes, without decoding the line; undefined when not first. */
function leadingId(buf: Buffer, start: number, end: number): string | undefined {
  const after = start + ID_PREFIX.length;
  if (end < after || buf.compare(ID_PREFIX, 0, ID_PREFIX.length, start, after) !== 0) return undefined;
  for (let i = after; i < end; i++) {
    const byte = buf[i];
    if (byte === 0x5c)
      i++; // an escape: skip the byte it escapes
    else if (byte === 0x22) {
      try {
        return JSON.parse(buf.toString('utf8', after - 1, i + 1)) as string;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The lines of `ids` in the clips log at `path`, in one pass over its bytes: a line is decoded and parsed only when
 * its leading id is wanted (a million-clip log is over a gigabyte) or when its id is not first (written by hand).
 * A log that cannot be read yields nothing, and the report then shows the clips without transcripts.
 */
export async function readClipDetails(path: string, ids: Set<string>): Promise<Map<string, ClipResult>> {
  const found = new Map<string, ClipResult>();
  if (ids.size === 0) return found;
  const take = (buf: Buffer, start: number, end: number) => {
    const id = leadingId(buf, start, end);
    if (id !== undefined && (!ids.has(id) || found.has(id))) return;
    const clip = parseClipLine(buf.toString('utf8', start, end));
    if (clip && ids.has(clip.id) && !found.has(clip.id)) found.set(clip.id, clip);
  };
  let carry: Buffer | undefined; // the start of a line that continues in the next chunk
  let skipping = false; // inside a line longer than any clips.jsonl line: not ours, passed over
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = undefined;
      let start = 0;
      for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        if (!skipping) take(buf, start, nl);
        skipping = false;
        start = nl + 1;
        if (found.size === ids.size) return found;
      }
      if (start < buf.length && !skipping) {
        if (buf.length - start > MAX_CLIP_LINE_BYTES) skipping = true;
        else carry = buf.subarray(start);
      }
    }
    if (carry) take(carry, 0, carry.length);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return found;
}

const isUri = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/**
 * The clip's audio relative to the report folder `out`, when `root` is a local folder and the file is there
 * (a Hub row or a parquet cell has no file of its own). Resolved against the dataset root the run read.
 */
export async function audioHrefOf(root: string, audioPath: string, out: string): Promise<string | undefined> {
  if (isUri(root) || isUri(audioPath)) return undefined;
  const file = resolve(root, audioPath);
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? relative(resolve(out), file) : undefined;
}

/** Transcripts, metrics and audio links of the clips the report names. */
export async function clipDetails(
  report: AuditReport,
  clipsPath: string,
  root: string,
  out: string,
): Promise<Map<string, ClipDetails>> {
  const clips = await readClipDetails(clipsPath, namedClipIds(report));
  const details = new Map<string, ClipDetails>();
  for (const [id, c] of clips) {
    const audioHref = await audioHrefOf(root, c.audioPath, out);
    details.set(id, {
      text: c.text,
      ...(c.speaker !== undefined ? { speaker: c.speaker } : {}),
      audioPath: c.audioPath,
      metrics: c.metrics,
      findings: c.findings.map((f) => ({ code: f.code, severity: f.severity })),
      ...(audioHref !== undefined ? { audioHref } : {}),
    });
  }
  return details;
}
