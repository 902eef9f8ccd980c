import type { ClipsLog } from '../outputs/clips-log.js';
import { resumeMismatch } from '../outputs/clips-log.js';
import type { ClipResult, Finding, Utterance } from '../types.js';
import { mapOrdered } from '../util/ordered.js';
import type { ClipOutcome } from './clip.js';
import type { openFold } from './fold.js';
import type { RunPlan } from './run.js';
import type { ClipRunner } from './runner.js';
import { selectItems } from './select.js';

export interface AuditProgress {
  /** Clips done (analysed, or read back on resume). */
  clips: number;
  /** Clips the run will do, when known before it ends (a sample, a limit). */
  total?: number;
  audioSec: number;
  elapsedSec: number;
  /** CPU seconds of this process, worker threads included. */
  cpuSec: number;
  /** True on the last call. */
  done: boolean;
}

export interface AnalyseArgs {
  plan: RunPlan;
  runner: ClipRunner;
  fold: ReturnType<typeof openFold>;
  /** The run's clips.jsonl; on resume it holds the clips already done. */
  log?: ClipsLog;
  /** Where the log lives, for messages. */
  out?: string;
  /** Aborting stops reading new clips; those in flight finish and are kept. */
  signal?: AbortSignal;
  onProgress?: (p: AuditProgress) => void;
  progressEveryMs?: number;
}

/** A clip read back from clips.jsonl, as the fold saw it the first time: findings before severities. */
export function outcomeOf(line: ClipResult): ClipOutcome {
  const drafts = line.findings.map(({ code, message, value, threshold, unit, metric }) => ({
    code,
    message,
    ...(value !== undefined ? { value } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(unit !== undefined ? { unit } : {}),
    ...(metric !== undefined ? { metric } : {}),
  }));
  return { clip: { ...line, findings: [] }, drafts, analysed: line.format !== undefined };
}

/**
 * The clip stage: reads the selected utterances in manifest order, analyses each once (or takes it back from the
 * log of the run being resumed), and folds the outcomes in that same order, writing each to clips.jsonl.
 */
export async function analyseClips(args: AnalyseArgs): Promise<{ interrupted: boolean; population?: number }> {
  const { plan, runner, fold, log, signal } = args;
  const { items, population } = await selectItems(plan.source, plan.root, plan.sourceOptions, plan.selection);
  let total = population !== undefined ? Math.min(population, plan.selection.sample ?? population) : undefined;
  if (total === undefined && plan.source.count) {
    // Counted beside the run, never awaited: progress shows a total once it is known.
    const { limit, shard } = plan.selection;
    void plan.source
      .count(plan.root, plan.sourceOptions)
      .then((n) => {
        if (n === undefined) return;
        const inShard = shard ? Math.round(n / shard.count) : n;
        total = limit !== undefined ? Math.min(limit, inShard) : inShard;
      })
      .catch(() => undefined);
  } else if (total === undefined) total = plan.selection.limit;
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  let clips = 0;
  let audioSec = 0;
  let lastProgress = started;
  const progress = (done: boolean) => {
    const now = Date.now();
    if (!args.onProgress || (!done && now - lastProgress < (args.progressEveryMs ?? 1000))) return;
    lastProgress = now;
    const cpu = process.cpuUsage(cpu0);
    const elapsedSec = (now - started) / 1000;
    args.onProgress({ clips, total, audioSec, elapsedSec, cpuSec: (cpu.user + cpu.system) / 1e6, done });
  };
  const record = async (outcome: ClipOutcome, write: boolean) => {
    const line = fold.clip(outcome);
    if (write) await log?.write(line);
    clips += 1;
    if (outcome.analysed) audioSec += line.metrics['signal.duration_sec'] ?? 0;
    progress(false);
  };

  // Source findings travel in the same ordered stream as the clips, so the fold sees one order whatever the
  // number of clips in flight.
  async function* steps(): AsyncGenerator<{ finding: Finding } | { utterance: Utterance }> {
    for await (const item of items) {
      const repeated = 'utterance' in item ? fold.list(item.utterance) : undefined;
      yield repeated ? { finding: repeated } : item;
    }
  }
  const queue = steps();
  // A resumed run's clips.jsonl holds a prefix of the clips in this same order: take those back first.
  const nextUtterance = async (): Promise<Utterance | undefined> => {
    for (let next = await queue.next(); !next.done; next = await queue.next()) {
      if ('utterance' in next.value) return next.value.utterance;
      fold.source(next.value.finding);
    }
    return undefined;
  };
  if (log) {
    for (let done = await log.done.next(); !done.done; done = await log.done.next()) {
      const u = await nextUtterance();
      if (u?.id !== done.value.id) throw resumeMismatch(args.out ?? '.', u?.id ?? '(nothing)', done.value.id);
      await record(outcomeOf(done.value), false);
    }
  }
  const stopped = () => signal?.aborted ?? false;
  const step = async (s: { finding: Finding } | { utterance: Utterance }) =>
    'finding' in s ? s : { outcome: await runner.analyse(s.utterance) };
  for await (const done of mapOrdered(queue, step, runner.concurrency, stopped)) {
    if ('finding' in done) fold.source(done.finding);
    else await record(done.outcome, true);
  }
  progress(true);
  return { interrupted: stopped(), population };
}
