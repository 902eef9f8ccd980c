import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import type { ClipsLog } from './clips-log.js';
import { writeCurated, type CuratedArgs } from './curated.js';
import { writeDatasetFindings } from './dataset-findings.js';
import type { Finding } from '../types.js';
import { renderMarkdown } from './report-md.js';
import type { AuditReport } from './report-schema.js';
import { CLIPS_FILE, CLIPS_PART, HTML_FILE, RUN_FILE, writeRunRecord, type RunRecord } from './run-record.js';

export interface WriteArgs {
  out: string;
  report: AuditReport;
  record: RunRecord;
  log: ClipsLog;
  /** What `curated/` is made of (written into `out`). */
  curated: Omit<CuratedArgs, 'outDir' | 'clipsPath'>;
  /** Findings only the whole set shows, for dataset-findings.jsonl. */
  datasetFindings: readonly Finding[];
}

/**
 * Every output, each under a working name renamed into place, run.json last: a reader that finds run.json saying
 * `finished` finds the report, the curated set and the clips.jsonl of that run. An interrupted run keeps its
 * clips log under the working name for `--resume`. Returns the files written, relative to `out`.
 */
export async function writeOutputs(args: WriteArgs): Promise<string[]> {
  const { out, report } = args;
  const finished = report.run.state === 'finished';
  await writeFileAtomic(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFileAtomic(join(out, 'report.md'), renderMarkdown(report));
  const clips = await args.log.close(finished);
  const clipsPath = join(out, finished ? CLIPS_FILE : CLIPS_PART);
  // After the log is closed: curated/ is made from the kept clips it lists, in order.
  const curated = await writeCurated({ ...args.curated, outDir: out, clipsPath });
  const late = await writeDatasetFindings(out, args.datasetFindings);
  // After the log is closed: the page quotes the transcripts of the clips it names from it.
  // Loaded here, not at start-up: the charting library costs every command that never writes a report.
  const { writeHtmlReport } = await import('./report-html.js');
  await writeHtmlReport({
    out,
    report,
    clipsPath,
    root: args.curated.root,
  });
  await writeRunRecord(out, {
    ...args.record,
    state: report.run.state,
    ...(finished ? { finishedAt: report.run.finishedAt } : {}),
    ...(clips ? { clips } : {}),
  });
  return [finished ? CLIPS_FILE : CLIPS_PART, late, 'report.json', 'report.md', HTML_FILE, ...curated, RUN_FILE];
}
