import type { AuditConfigInput } from '../config/schema.js';
import { openClipsLog, type ClipsLog } from '../outputs/clips-log.js';
import { join } from 'node:path';
import { readJsonFile } from '../config/load.js';
import { reportSchema, type AuditReport } from '../outputs/report-schema.js';
import { writeRunRecord } from '../outputs/run-record.js';
import { writeOutputs } from '../outputs/write.js';
import type { SourceOptions } from '../sources/types.js';
import { compileAlphabet } from '../text/alphabet.js';
import { analyseClips, type AuditProgress } from './analyse.js';
import { openFold } from './fold.js';
import { buildReport } from './report.js';
import { planRun, type RunPlan } from './run.js';
import { defaultJobs, openClipRunner, type ClipRunner } from './runner.js';
import type { Selection } from './select.js';

export { AuditInputError } from './run.js';
export type { AuditProgress } from './analyse.js';

export interface AuditOptions {
  /** A dataset folder, a manifest file inside one (NeMo JSONL, CSV/TSV, parquet), or `hf://datasets/…`. */
  source: string;
  /** `auto` (default) or a layout name such as `ljspeech`. */
  format?: string;
  /** Layout choices: VCTK microphone, manifest file, column mapping, Hub subset and split. */
  sourceOptions?: SourceOptions;
  /** Output folder for report.json, report.md, clips.jsonl, curated/ and run.json; nothing is written when absent. */
  out?: string;
  /** Thresholds, severities and gate rules; validated, defaults filled in. */
  config?: AuditConfigInput;
  /** `deep` adds the costly checks: the transcript–audio alignment through espeak-ng. */
  profile?: 'default' | 'deep';
  /** The first N clips, a seeded sample of N, and/or one shard K/N of the clips. */
  selection?: Selection;
  /** With `deep`: a seeded sample of this many audited clips the recognizer also decodes (a transcript-error rate). */
  asrSample?: { clips: number; seed: number };
  /** Clips analysed in parallel on worker threads (default: the available cores; 1 analyses in this thread). */
  jobs?: number;
  /**
   * Continue the run recorded in `out` (killed, interrupted, or failed part-way): done clips are not redone. With
   * no run there it starts one; with a finished one it returns that report and does nothing.
   */
  resume?: boolean;
  /** Replace an audit of another source found in `out`. */
  force?: boolean;
  /** The command line, recorded in run.json so a run can be told apart and resumed. */
  command?: string[];
  /** Aborting stops the run after the clips in flight; the outputs are written and marked interrupted. */
  signal?: AbortSignal;
  onProgress?: (p: AuditProgress) => void;
  /** How often `onProgress` is called at most (default 1 s); it is always called once at the end. */
  progressEveryMs?: number;
}

export interface AuditResult {
  report: AuditReport;
  /** Files written, relative to `out`. */
  files: string[];
}

/** Read the source → analyse the clips → fold the dataset → build the report → write the outputs. */
export function audit(options: AuditOptions): Promise<AuditResult> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  return auditWith(options, jobs, (plan) =>
    openClipRunner({ jobs, config: plan.config, source: plan.info, readRoots: plan.readRoots }),
  );
}

/** `audit` with the clip stage given: `merge` replays shard results through the same stages. */
export async function auditWith(
  options: AuditOptions,
  jobs: number,
  openRunner: (plan: RunPlan) => Promise<ClipRunner>,
  given = options.source,
): Promise<AuditResult> {
  const plan = await planRun({ ...options, selection: options.selection ?? {}, given });
  const { out } = options;
  const record = plan.record;
  if (plan.finished && out) {
    const report = await readJsonFile(join(out, 'report.json'), reportSchema, 'report');
    return { report, files: [] };
  }
  const startedAt = new Date();
  const cpu0 = process.cpuUsage();
  const runner = await openRunner(plan);
  let log: ClipsLog | undefined;
  let writing = false; // once writing starts, writeOutputs owns the clips log
  let fold: ReturnType<typeof openFold> | undefined;
  try {
    log = out ? await openClipsLog(out, plan.resuming) : undefined;
    const alphabet = compileAlphabet(plan.config.analyzers.text);
    fold = openFold(plan.config, { source: plan.info, alphabet, phonemizer: runner.phonemizer });
    const { interrupted, population } = await analyseClips({ ...options, plan, runner, fold, log });
    await runner.close();
    const result = fold.finish();
    const cpu = process.cpuUsage(cpu0);
    const report = buildReport({
      plan,
      given,
      result,
      state: interrupted ? 'interrupted' : 'finished',
      jobs,
      population,
      startedAt,
      cpuSec: (cpu.user + cpu.system) / 1e6,
    });
    if (!out || !log || !record) return { report, files: [] };
    writing = true;
    const files = await writeOutputs({
      out,
      report,
      record,
      log,
      curated: {
        source: plan.source,
        root: plan.root,
        options: plan.sourceOptions,
        isKept: result.isKept,
        dropped: result.tally.dropped,
        trims: result.tally.trims,
        config: plan.config.curated,
      },
      datasetFindings: result.lateFindings.lines(),
    });
    return { report, files };
  } catch (err) {
    // A source that fails part-way (a Hub shard that cannot be fetched) keeps every finished clip for --resume.
    if (!writing) await log?.close(false).catch(() => undefined);
    if (out && record) await writeRunRecord(out, { ...record, state: 'interrupted' }).catch(() => undefined);
    throw err;
  } finally {
    await runner.close();
    fold?.close();
  }
}
