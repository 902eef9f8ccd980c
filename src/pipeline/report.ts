import type { AuditReport } from '../outputs/report-schema.js';
import { wilsonInterval } from '../util/stats.js';
import { VERSION } from '../version.js';
import type { FoldResult } from './fold.js';
import type { RunPlan } from './run.js';

/** Source findings that mean a whole file (and every clip in it) was not read. */
const UNREADABLE_SOURCE_CODES = ['source.unreadable_file', 'source.unreadable_shard'] as const;

export interface ReportArgs {
  plan: RunPlan;
  /** The source as the user named it. */
  given: string;
  result: FoldResult;
  state: 'finished' | 'interrupted';
  jobs: number;
  population?: number;
  startedAt: Date;
  cpuSec: number;
}

function selectionOf({ plan, result, population, state }: ReportArgs): AuditReport['selection'] {
  const s = plan.selection;
  const shard = s.shard ? ` of shard ${s.shard.index}/${s.shard.count}` : '';
  const stopped = state === 'interrupted' ? ' The run was interrupted: the figures cover the clips done so far.' : '';
  if (s.sample !== undefined) {
    const n = result.listed;
    const estimates: Record<string, { share: number; low: number; high: number }> = {};
    const share = (k: number) => ({ share: n > 0 ? k / n : 0, ...wilsonInterval(k, n, population) });
    estimates.dropped = share(result.tally.dropped.size);
    for (const [code, f] of Object.entries(result.tally.findings)) estimates[code] = share(f.clips);
    return {
      sample: s.sample,
      seed: s.seed,
      ...(s.shard ? { shard: s.shard } : {}),
      ...(population !== undefined ? { population } : {}),
      note: `A seeded random sample (seed ${s.seed}) of ${n} clips out of ${population ?? 'an unknown number of'} listed${shard}; dataset-level shares come with 95 % intervals.${stopped}`,
      estimates,
    };
  }
  if (s.limit !== undefined) {
    return {
      limit: s.limit,
      ...(s.shard ? { shard: s.shard } : {}),
      note: `Only the first ${s.limit} clips in manifest order${shard} were audited (--limit): not a random sample.${stopped}`,
    };
  }
  if (s.shard)
    return {
      shard: s.shard,
      note: `Shard ${s.shard.index}/${s.shard.count} of the clips, by a hash of the clip id.${stopped}`,
    };
  return { note: `Every listed clip.${stopped}` };
}

/** The report: what was audited, what was found, and the config it was judged by. */
export function buildReport(args: ReportArgs): AuditReport {
  const { plan, result, startedAt, cpuSec } = args;
  const finishedAt = new Date();
  const t = result.tally;
  const droppedSec = t.dropped.durationSec;
  return {
    tool: { name: 'tts-audit', version: VERSION },
    source: {
      root: args.given,
      format: plan.source.name,
      title: plan.title,
      ...(plan.info.nominalFormat ? { nominalFormat: plan.info.nominalFormat } : {}),
    },
    run: {
      ...(plan.record ? { runId: plan.record.runId } : {}),
      state: args.state,
      jobs: args.jobs,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallSec: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      cpuSec,
      audioSec: result.audioSec,
      realtimeFactor: cpuSec > 0 ? result.audioSec / cpuSec : null,
    },
    selection: selectionOf(args),
    summary: {
      listed: result.listed,
      analysed: result.analysed,
      unreadable: result.unreadable,
      kept: result.listed - t.dropped.size,
      trimmed: t.trims.size,
      dropped: t.dropped.size,
      hoursAnalysed: result.audioSec / 3600,
      hoursKept: Math.max(0, result.audioSec - droppedSec) / 3600,
      malformedLines: t.findings['source.malformed_line']?.clips ?? 0,
      unreadableFiles: UNREADABLE_SOURCE_CODES.reduce((n, code) => n + (t.findings[code]?.clips ?? 0), 0),
      findingsBySeverity: { ...t.bySeverity },
    },
    findings: t.findings,
    sourceFindings: [...t.sourceFindings],
    dataset: result.dataset as AuditReport['dataset'],
    config: plan.config,
  };
}
