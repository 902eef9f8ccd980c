import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import type { ClipsLog } from './clips-log.js';
import { writeCurated, type CuratedArgs } from './curated.js';
import { writeDatasetFindings, type DatasetFindingsLine } from './dataset-findings.js';
import type { ClipResult } from '../types.js';
import { renderDatacard } from './datacard.js';
import { namedClipIds, readClipDetails } from './report-html-clips.js';
import { renderMarkdown } from './report-md.js';
import type { AuditReport } from './report-schema.js';
import {
  CLIPS_FILE,
  CLIPS_PART,
  DATACARD_FILE,
  HTML_FILE,
  RUN_FILE,
  writeRunRecord,
  type RunRecord,
} from './run-record.js';

export interface WriteArgs {
  out: string;
  report: AuditReport;
  record: RunRecord;
  log: ClipsLog;
  /** What `curated/` is made of (written into `out`). */
  curated: Omit<CuratedArgs, 'outDir' | 'clipsPath'>;
  /** Findings only the whole set shows, one line a clip, for dataset-findings.jsonl (read once, from disk). */
  datasetFindings: Iterable<DatasetFindingsLine>;
}

/**
 * Every output, each under a working name renamed into place, run.json last: a reader that finds run.json saying
 * `finished` finds the report, the curated set and the clips.jsonl of that run. An interrupted run keeps its
 * clips log under the working name for `--resume`. Returns the files written, relative to `out`.
 */
export async function writeOutputs(args: WriteArgs): Promise<string[]> {
  const { out, report } = args;
  const finished = report.run.state === 'finished';
  const clips = await args.log.close(finished);
  const clipsPath = join(out, finished ? CLIPS_FILE : CLIPS_PART);
  // After the log is closed: the reports quote the transcripts and paths of the clips they name from it.
  attachClipDetails(report, await readClipDetails(clipsPath, namedClipIds(report)));
  await writeFileAtomic(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFileAtomic(join(out, 'report.md'), renderMarkdown(report));
  await writeFileAtomic(join(out, DATACARD_FILE), renderDatacard(report, args.record));
  // After the log is closed: curated/ is made from the kept clips it lists, in order.
  const curated = await writeCurated({ ...args.curated, outDir: out, clipsPath });
  const late = await writeDatasetFindings(out, args.datasetFindings);
  // Loaded here, not at start-up: the charting library costs every command that never writes a report.
  const { writeHtmlReport } = await import('./report-html.js');
  await writeHtmlReport({ out, report, clipsPath, root: args.curated.root });
  await writeRunRecord(out, {
    ...args.record,
    state: report.run.state,
    ...(finished ? { finishedAt: report.run.finishedAt } : {}),
    ...(clips ? { clips } : {}),
  });
  return [
    finished ? CLIPS_FILE : CLIPS_PART,
    late,
    'report.json',
    'report.md',
    HTML_FILE,
    DATACARD_FILE,
    ...curated,
    RUN_FILE,
  ];
}

/**
 * Gives each worst clip of the report its transcript and audio path from the clips log, so report.json names
 * what a reviewer reads and listens to (in place: the report `audit()` returns is the one written).
 */
export function attachClipDetails(report: AuditReport, clips: Map<string, ClipResult>): void {
  for (const f of Object.values(report.findings))
    for (const w of f.worst) {
      const clip = w.clipId === undefined ? undefined : clips.get(w.clipId);
      if (!clip) continue;
      w.transcript = clip.text;
      w.audioPath = clip.audioPath;
    }
}
