import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute, sep } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { DATASET_FINDINGS_FILE } from './dataset-findings.js';

// `run.json` records a run in its output folder: what was audited, with which config and selection, and whether
// the run finished. `check` and `merge` trust a report only when its run finished and the clips.jsonl beside it is
// the one that run wrote; a new run never leaves an old report beside its own partial results.

export const RUN_FILE = 'run.json';
export const CLIPS_FILE = 'clips.jsonl';
/** clips.jsonl while the run goes on; renamed into place when it finishes, read back by `--resume`. */
export const CLIPS_PART = 'clips.jsonl.part';
export const HTML_FILE = 'report.html';
/** The curated set described as a Hugging Face dataset card (src/outputs/datacard.ts). */
export const DATACARD_FILE = 'datacard.md';
/** Every output a run owns: cleared before a new run, so nothing stale stays beside it. */
export const OWNED = [
  RUN_FILE,
  CLIPS_FILE,
  CLIPS_PART,
  DATASET_FINDINGS_FILE,
  'report.json',
  'report.md',
  HTML_FILE,
  DATACARD_FILE,
  'curated',
];

export class OutFolderError extends InputError {}

export const selectionSchema = z.object({
  limit: z.number().int().positive().optional().describe('the first N clips in manifest order'),
  sample: z.number().int().positive().optional().describe('a seeded random sample of N clips'),
  seed: z.number().int().optional(),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
});

export const runRecordSchema = z.object({
  tool: z.object({ name: z.literal('tts-audit'), version: z.string() }),
  runId: z.string(),
  state: z.enum(['running', 'interrupted', 'finished']),
  command: z.array(z.string()).nullable().describe('the command line, when the CLI ran it'),
  source: z.object({
    root: z.string().describe('absolute path or URI'),
    given: z.string().optional().describe('as the command named it, for the report'),
    format: z.string(),
  }),
  sourceOptions: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('the layout choices (microphone, manifest, columns, Hub subset and split); never the Hub token'),
  selection: selectionSchema,
  configSha256: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  clips: z.object({ lines: z.number().int(), sha256: z.string() }).optional().describe('clips.jsonl as written'),
});

export type RunRecord = z.output<typeof runRecordSchema>;

export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The record in `dir`, or undefined when there is none; a damaged one is an error naming the file. */
export async function readRunRecord(dir: string): Promise<RunRecord | undefined> {
  const path = join(dir, RUN_FILE);
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new OutFolderError(`${path}: cannot read: ${err.code ?? err.message}`);
  });
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new OutFolderError(`${path}: not valid JSON (a run record damaged by hand?)`);
  }
  const parsed = runRecordSchema.safeParse(data);
  if (!parsed.success) throw new OutFolderError(`${path}: not a tts-audit run record`);
  return parsed.data;
}

export const writeRunRecord = (dir: string, record: RunRecord) =>
  writeFileAtomic(join(dir, RUN_FILE), JSON.stringify(record, null, 2) + '\n');

/** The real path of `path`, or of its nearest existing ancestor with the rest appended. */
async function realish(path: string): Promise<string> {
  const abs = resolve(path);
  const real = await realpath(abs).catch(() => undefined);
  if (real) return real;
  const parent = dirname(abs);
  return parent === abs ? abs : join(await realish(parent), relative(parent, abs));
}

/** Refuses an output folder equal to or inside the dataset: outputs must never overwrite the data they audit. */
export async function refuseInsideDataset(out: string, root: string): Promise<void> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) return;
  const [o, r] = await Promise.all([realish(out), realish(root)]);
  const rel = relative(r, o);
  if (rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))) {
    throw new OutFolderError(`--out ${out} is inside the dataset ${root}; choose a folder outside it`);
  }
}

export interface PrepareOutArgs {
  out: string;
  record: RunRecord;
  resume: boolean;
  force: boolean;
}

export interface PreparedOut {
  record: RunRecord;
  /** The run continues one recorded there (its clips.jsonl.part holds clips already done). */
  resuming: boolean;
  /** `resume` found that run finished: there is nothing left to do. */
  finished: boolean;
}

/**
 * Makes `out` ready for the run: refuses another source's audit (unless `force`) and a `resume` that does not
 * match the run it would continue; otherwise clears the old outputs (not when resuming) and records the run as
 * running. `resume` with no run recorded starts one, so a scheduler can always pass it.
 */
export async function prepareOut({ out, record, resume, force }: PrepareOutArgs): Promise<PreparedOut> {
  const info = await lstat(out).catch(() => undefined);
  if (info && !info.isDirectory()) throw new OutFolderError(`--out ${out} exists and is not a folder`);
  await mkdir(out, { recursive: true });
  const earlier = await readRunRecord(out);
  if (resume && earlier) {
    const differs = sameRun(earlier, record);
    if (differs) throw new OutFolderError(`${out}: cannot resume: ${differs}; run without --resume (and --force)`);
    if (earlier.state === 'finished') return { record: earlier, resuming: false, finished: true };
    const continued = { ...earlier, state: 'running' as const, command: record.command ?? earlier.command };
    await writeRunRecord(out, continued);
    return { record: continued, resuming: true, finished: false };
  }
  const sameSource = earlier && earlier.source.root === record.source.root;
  if (earlier && !sameSource && !force) {
    throw new OutFolderError(
      `${out} holds the audit of ${earlier.source.root}; pass --force to replace it, or choose another --out`,
    );
  }
  for (const name of OWNED) await rm(join(out, name), { recursive: true, force: true });
  await writeRunRecord(out, record);
  return { record, resuming: false, finished: false };
}

/** Why `b` is not the same run as `a`, or undefined when it is. */
function sameRun(a: RunRecord, b: RunRecord): string | undefined {
  if (a.source.root !== b.source.root) return `it audited ${a.source.root}`;
  if (a.source.format !== b.source.format) return `it read the layout ${a.source.format}`;
  if (a.configSha256 !== b.configSha256) return 'its config differs';
  if (JSON.stringify(a.selection) !== JSON.stringify(b.selection))
    return 'its clip selection (--limit, --sample, --shard) differs';
  return undefined;
}
