import { readJsonFile } from '../config/load.js';
import { InputError } from '../errors.js';
import { configSchema } from '../config/schema.js';
import { check } from '../outputs/check.js';
import { audit, AuditInputError } from '../pipeline/audit.js';
import type { SourceOptions } from '../sources/types.js';

const log = (line: string) => process.stderr.write(line + '\n');

function isInputError(err: unknown): err is Error {
  return err instanceof InputError;
}

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

interface AuditFlags {
  out: string;
  format: string;
  mic: string;
  columns?: string;
  subset?: string;
  split?: string;
  cacheDir?: string;
  hubUrl?: string;
  config?: string;
  profile: string;
  limit?: number;
  quiet?: boolean;
}

export async function runAudit(source: string, opts: AuditFlags): Promise<number> {
  try {
    if (opts.limit !== undefined && !(opts.limit > 0))
      throw new AuditInputError('--limit takes a positive whole number');
    if (!['default', 'deep'].includes(opts.profile))
      throw new AuditInputError(`--profile takes default or deep, not "${opts.profile}"`);
    if (!['mic1', 'mic2', 'both'].includes(opts.mic))
      throw new AuditInputError(`--mic takes mic1, mic2 or both, not "${opts.mic}"`);
    const config = opts.config ? await readJsonFile(opts.config, configSchema, 'config') : undefined;
    const sourceOptions: SourceOptions = {
      mic: opts.mic as SourceOptions['mic'],
      ...(opts.columns ? { columns: parseColumns(opts.columns) } : {}),
      ...(opts.subset ? { subset: opts.subset } : {}),
      ...(opts.split ? { split: opts.split } : {}),
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      ...(opts.hubUrl ? { hubUrl: opts.hubUrl } : {}),
    };
    const { report, files } = await audit({
      source,
      sourceOptions,
      profile: opts.profile as 'default' | 'deep',
      format: opts.format,
      out: opts.out,
      config,
      limit: opts.limit,
      onProgress: opts.quiet
        ? undefined
        : (p) => log(`… ${p.clips} clips, ${(p.audioSec / 3600).toFixed(2)} h of audio, ${p.elapsedSec.toFixed(0)} s`),
    });
    const s = report.summary;
    if (!opts.quiet) {
      log(
        `${report.source.title} (format ${report.source.format}${opts.format === 'auto' ? ', recognised automatically' : ''}): ${s.listed} clips listed, ${s.analysed} analysed (${s.hoursAnalysed.toFixed(3)} h), ${s.kept} kept, ${s.dropped} dropped, ${s.malformedLines} malformed lines`,
      );
      log(`wrote ${files.map((f) => `${opts.out}/${f}`).join(', ')}`);
    }
    return 0;
  } catch (err) {
    if (!isInputError(err)) throw err;
    log(`tts-audit: ${err.message}`);
    return 2;
  }
}

export async function runCheck(reportPath: string, opts: { config?: string }): Promise<number> {
  try {
    const result = await check(reportPath, opts.config);
    for (const r of result.rules) if (!r.holds) console.log(r.message);
    const failed = result.rules.filter((r) => !r.holds).length;
    console.log(
      failed === 0
        ? `gate passed: all ${result.rules.length} rules hold`
        : `gate failed: ${failed} of ${result.rules.length} rules`,
    );
    return failed === 0 ? 0 : 1;
  } catch (err) {
    if (!isInputError(err)) throw err;
    log(`tts-audit: ${err.message}`);
    return 2;
  }
}
