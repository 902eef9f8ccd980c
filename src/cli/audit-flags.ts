// The audit command's flags as the CLI receives them (strings), checked and turned into the typed options the
// library takes; every refusal names the flag and what it accepts.

import { resolve } from 'node:path';
import { readJsonFile } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { AuditInputError } from '../pipeline/audit.js';
import { DEFAULT_SEED, type Selection } from '../pipeline/select.js';
import type { SourceOptions } from '../sources/types.js';

const COLUMN_FIELDS = [
  'id',
  'audio',
  'text',
  'normalizedText',
  'speaker',
  'gender',
  'accent',
  'language',
  'split',
  'duration',
  'offset',
] as const;

/** `text=sentence,audio=path` → { text: 'sentence', audio: 'path' }, naming what is wrong otherwise. */
export function parseColumns(spec: string): SourceOptions['columns'] {
  const columns: Record<string, string> = {};
  for (const pair of spec.split(',').filter((p) => p.trim() !== '')) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (eq < 0 || column === '') throw new AuditInputError(`--columns: "${pair}" is not field=column`);
    if (!(COLUMN_FIELDS as readonly string[]).includes(field))
      throw new AuditInputError(`--columns: unknown field "${field}"; fields: ${COLUMN_FIELDS.join(', ')}`);
    columns[field] = column;
  }
  return columns;
}

export interface AuditFlags {
  out: string;
  format: string;
  mic: string;
  columns?: string;
  subset?: string;
  split?: string;
  cacheDir?: string;
  hubUrl?: string;
  audioRoot?: string[];
  config?: string;
  profile: string;
  limit?: string;
  sample?: string;
  seed?: string;
  asrSample?: string;
  shard?: string;
  jobs?: string;
  emit?: string;
  applyTrims?: boolean;
  curatedAudio?: string;
  resume?: boolean;
  force?: boolean;
  quiet?: boolean;
}

const EMIT_FORMATS = ['nemo', 'lhotse', 'csv'] as const;
const CURATED_AUDIO = ['symlink', 'hardlink', 'copy'] as const;

/** The curated/ flags over the config file's `curated` section: a flag given wins. */
export function curatedFlags(opts: Pick<AuditFlags, 'emit' | 'applyTrims' | 'curatedAudio'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (opts.emit !== undefined) {
    const formats = [
      ...new Set(
        opts.emit
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== ''),
      ),
    ];
    const unknown = formats.filter((f) => !(EMIT_FORMATS as readonly string[]).includes(f));
    if (unknown.length > 0)
      throw new AuditInputError(`--emit: unknown format ${unknown.join(', ')}; formats: ${EMIT_FORMATS.join(', ')}`);
    out.emit = formats;
  }
  if (opts.applyTrims) out.applyTrims = true;
  if (opts.curatedAudio !== undefined) {
    if (!(CURATED_AUDIO as readonly string[]).includes(opts.curatedAudio))
      throw new AuditInputError(`--curated-audio takes ${CURATED_AUDIO.join(', ')}, not "${opts.curatedAudio}"`);
    out.audio = opts.curatedAudio;
  }
  return out;
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new AuditInputError(`${flag} takes a positive whole number, not "${value}"`);
  return n;
}

/** `--shard K/N`; `K` may come from the scheduler: `$JOB_COMPLETION_INDEX` (0-based) or `$SLURM_ARRAY_TASK_ID`. */
export function parseShard(spec: string): Selection['shard'] {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || count < 1 || index < 1 || index > count)
    throw new AuditInputError(`--shard takes K/N with 1 ≤ K ≤ N (e.g. 3/8), not "${spec}"`);
  return { index, count };
}

export function selectionOf(opts: AuditFlags): Selection {
  const limit = positive('--limit', opts.limit);
  const sample = positive('--sample', opts.sample);
  if (limit !== undefined && sample !== undefined) throw new AuditInputError('--limit and --sample exclude each other');
  if (opts.seed !== undefined && sample === undefined && opts.asrSample === undefined)
    throw new AuditInputError('--seed goes with --sample or --asr-sample');
  const seed = opts.seed === undefined ? DEFAULT_SEED : Number(opts.seed);
  if (!Number.isInteger(seed)) throw new AuditInputError(`--seed takes a whole number, not "${opts.seed}"`);
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(sample !== undefined ? { sample, seed } : {}),
    ...(opts.shard ? { shard: parseShard(opts.shard) } : {}),
  };
}

/** Every audit flag checked and turned into the library's options; a bad flag throws naming it. */
export async function auditOptionsOf(opts: AuditFlags) {
  if (!['default', 'deep'].includes(opts.profile))
    throw new AuditInputError(`--profile takes default or deep, not "${opts.profile}"`);
  if (!['mic1', 'mic2', 'both'].includes(opts.mic))
    throw new AuditInputError(`--mic takes mic1, mic2 or both, not "${opts.mic}"`);
  const selection = selectionOf(opts);
  const asrClips = positive('--asr-sample', opts.asrSample);
  if (asrClips !== undefined && opts.profile !== 'deep')
    throw new AuditInputError('--asr-sample goes with --profile deep');
  const asrSample = asrClips === undefined ? undefined : { clips: asrClips, seed: Number(opts.seed ?? DEFAULT_SEED) };
  const jobs = positive('--jobs', opts.jobs);
  const fromFile = opts.config ? await readJsonFile(opts.config, configSchema, 'config') : undefined;
  const curated = curatedFlags(opts);
  const config =
    Object.keys(curated).length === 0 ? fromFile : { ...fromFile, curated: { ...fromFile?.curated, ...curated } };
  const sourceOptions: SourceOptions = {
    mic: opts.mic as SourceOptions['mic'],
    ...(opts.columns ? { columns: parseColumns(opts.columns) } : {}),
    ...(opts.subset ? { subset: opts.subset } : {}),
    ...(opts.split ? { split: opts.split } : {}),
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    ...(opts.hubUrl ? { hubUrl: opts.hubUrl } : {}),
    ...(opts.audioRoot?.length ? { audioRoots: opts.audioRoot.map((d) => resolve(d)) } : {}),
  };
  return { selection, asrSample, jobs, config, sourceOptions };
}
