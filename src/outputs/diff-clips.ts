import { z } from 'zod';
import { InputFileError } from '../config/load.js';
import { idTable, type IdTable } from '../util/id-table.js';
import { readLines } from '../util/lines.js';
import { MAX_CLIP_LINE_BYTES } from './clips-log.js';

// Two clips logs of a million lines each are compared without holding either: a pass over each fills a hash table
// of 12 bytes a slot (id → kept or dropped), and only the first few ids of each kind are kept as strings. The old
// log is read a second time for the clips the new one lacks, since the table holds hashes, not ids.

const KEPT = 1;
const DROPPED = 2;

export const clipChangeSchema = z.object({
  count: z.number().int(),
  first: z
    .array(
      z.object({
        id: z.string(),
        errors: z
          .array(z.string())
          .describe("the clip's error findings: in NEW for added and newly failing, in OLD for removed and fixed"),
      }),
    )
    .describe('the first clips of this kind in manifest order'),
});

export type ClipChange = z.output<typeof clipChangeSchema>;

export interface ClipsDiff {
  oldClips: number;
  newClips: number;
  added: ClipChange;
  removed: ClipChange;
  newlyFailing: ClipChange;
  fixed: ClipChange;
}

/** Where one audit's clip statuses come from: clips.jsonl, and curated/dropped.jsonl when there is one. */
export interface ClipFiles {
  clips: string;
  /** Lists clips dropped by a dataset-level finding too, which clips.jsonl (clip findings only) does not show. */
  dropped?: string;
}

const clipLine = z.object({
  id: z.string(),
  findings: z.array(z.object({ code: z.string(), severity: z.string() })),
});
const droppedLine = z.object({ id: z.string(), reasons: z.array(z.object({ code: z.string() })).default([]) });

/** Each line of a JSON-lines file of ours, validated by `schema`; a line that is not names the file and line. */
async function* records<S extends z.ZodType>(path: string, schema: S, what: string): AsyncGenerator<z.output<S>> {
  for await (const l of readLines(path, { maxLineBytes: MAX_CLIP_LINE_BYTES })) {
    if (l.text.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(l.text);
    } catch {
      data = undefined;
    }
    const parsed = l.tooLong ? undefined : schema.safeParse(data);
    if (!parsed?.success) throw new InputFileError(`${path}:${l.line}: not a ${what} line (damaged?)`);
    yield parsed.data;
  }
}

const errorsOf = (findings: { code: string; severity: string }[]) =>
  findings.filter((f) => f.severity === 'error').map((f) => f.code);

/** Every clip of one audit with its status, dropped.jsonl first so a clip dropped late counts as dropped. */
async function statusTable(files: ClipFiles): Promise<{ table: IdTable; lines: number }> {
  const table = idTable();
  if (files.dropped)
    for await (const d of records(files.dropped, droppedLine, 'dropped.jsonl')) table.set(d.id, DROPPED);
  let lines = 0;
  for await (const c of records(files.clips, clipLine, 'clips.jsonl')) {
    lines += 1;
    if (errorsOf(c.findings).length > 0) table.set(c.id, DROPPED);
    else table.add(c.id, KEPT);
  }
  return { table, lines };
}

/** The reasons dropped.jsonl gives for the shown clips a dataset-level finding dropped (clips.jsonl has none). */
async function explainLateDrops(dropped: string | undefined, late: ClipChange['first']): Promise<void> {
  const unexplained = new Map(late.map((f) => [f.id, f]));
  if (!dropped || unexplained.size === 0) return;
  for await (const d of records(dropped, droppedLine, 'dropped.jsonl')) {
    const f = unexplained.get(d.id);
    if (f) f.errors = d.reasons.map((r) => r.code);
  }
}

const change = (): ClipChange => ({ count: 0, first: [] });

/** Counts a clip of a kind; returns its entry when it is among the first `show`. */
function note(kind: ClipChange, id: string, errors: string[], show: number): ClipChange['first'][number] | undefined {
  kind.count += 1;
  if (kind.first.length >= show) return undefined;
  const entry = { id, errors };
  kind.first.push(entry);
  return entry;
}

/** Clips added, removed, newly failing (dropped in NEW, kept in OLD) and fixed (the reverse). */
export async function diffClips(oldFiles: ClipFiles, newFiles: ClipFiles, show: number): Promise<ClipsDiff> {
  const old = await statusTable(oldFiles);
  const added = change();
  const newlyFailing = change();
  const fixed = change();
  const lateNew: ClipChange['first'] = [];
  const seen = idTable();
  if (newFiles.dropped)
    for await (const d of records(newFiles.dropped, droppedLine, 'dropped.jsonl')) seen.set(d.id, DROPPED);
  let newClips = 0;
  let common = 0;
  for await (const c of records(newFiles.clips, clipLine, 'clips.jsonl')) {
    newClips += 1;
    const errors = errorsOf(c.findings);
    const status = errors.length > 0 || seen.get(c.id) === DROPPED ? DROPPED : KEPT;
    seen.set(c.id, status);
    const was = old.table.get(c.id);
    let shown;
    if (was === undefined) shown = note(added, c.id, errors, show);
    else {
      common += 1;
      if (was === KEPT && status === DROPPED) shown = note(newlyFailing, c.id, errors, show);
      if (was === DROPPED && status === KEPT) note(fixed, c.id, [], show);
    }
    if (shown && status === DROPPED && errors.length === 0) lateNew.push(shown);
  }

  // The second look at OLD: the ids it alone holds, and the old errors of the fixed clips shown.
  const removed = change();
  const removedCount = old.lines - common;
  const lateOld: ClipChange['first'] = [];
  const fixedShown = new Map(fixed.first.map((f) => [f.id, f]));
  for await (const c of records(oldFiles.clips, clipLine, 'clips.jsonl')) {
    const errors = errorsOf(c.findings);
    const late = errors.length === 0 && old.table.get(c.id) === DROPPED;
    const shown = seen.has(c.id) ? fixedShown.get(c.id) : note(removed, c.id, errors, show);
    if (shown) shown.errors = errors;
    if (shown && late) lateOld.push(shown);
    fixedShown.delete(c.id);
    if (fixedShown.size === 0 && removed.first.length >= Math.min(show, removedCount)) break;
  }
  removed.count = removedCount;
  await explainLateDrops(newFiles.dropped, lateNew);
  await explainLateDrops(oldFiles.dropped, lateOld);
  return { oldClips: old.lines, newClips, added, removed, newlyFailing, fixed };
}
