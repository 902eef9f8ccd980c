import { InputFileError, readJsonFile } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { check } from '../outputs/check.js';
import { audit, AuditInputError } from '../pipeline/audit.js';
import { SourceSelectionError } from '../sources/index.js';

const log = (line: string) => process.stderr.write(line + '\n');

function isInputError(err: unknown): err is Error {
  return err instanceof InputFileError || err instanceof AuditInputError || err instanceof SourceSelectionError;
}

export async function runAudit(source: string, opts: { out: string; format: string; config?: string; limit?: number; quiet?: boolean }): Promise<number> {
  try {
    if (opts.limit !== undefined && !(opts.limit > 0)) throw new AuditInputError('--limit takes a positive whole number');
    const config = opts.config ? await readJsonFile(opts.config, configSchema, 'config') : undefined;
    const { report, files } = await audit({
      source,
      format: opts.format,
      out: opts.out,
      config,
      limit: opts.limit,
      onProgress: opts.quiet ? undefined : (p) => log(`… ${p.clips} clips, ${(p.audioSec / 3600).toFixed(2)} h of audio, ${p.elapsedSec.toFixed(0)} s`),
    });
    const s = report.summary;
    if (!opts.quiet) {
      log(`${report.source.title}: ${s.listed} clips listed, ${s.analysed} analysed (${s.hoursAnalysed.toFixed(3)} h), ${s.kept} kept, ${s.dropped} dropped, ${s.malformedLines} malformed lines`);
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
    console.log(failed === 0 ? `gate passed: all ${result.rules.length} rules hold` : `gate failed: ${failed} of ${result.rules.length} rules`);
    return failed === 0 ? 0 : 1;
  } catch (err) {
    if (!isInputError(err)) throw err;
    log(`tts-audit: ${err.message}`);
    return 2;
  }
}
