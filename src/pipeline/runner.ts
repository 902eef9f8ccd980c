import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import type { SourceInfo } from '../analyzers/types.js';
import type { AuditConfig } from '../config/schema.js';
import { compileAlphabet } from '../text/alphabet.js';
import type { Utterance } from '../types.js';
import { batcher } from './batch.js';
import { analyseClip, clipSkeleton, type ClipOutcome } from './clip.js';
import { openClipTools } from './tools.js';

/** What a worker thread needs to build its own `ClipEnv` (the alphabet's patterns do not cross threads). */
export interface WorkerInit {
  config: AuditConfig;
  source: SourceInfo;
  phonemizer: string | null;
  readRoots: readonly string[];
}

export interface ClipRunner {
  /** The phonemizer the analyzers use (`espeak-ng 1.51`), or null. */
  phonemizer: string | null;
  /** How many clips may be in flight at once: enough to keep every worker busy. */
  concurrency: number;
  /** Analyses one clip; never rejects (a crashed worker becomes the clip's finding). */
  analyse(u: Utterance): Promise<ClipOutcome>;
  close(): Promise<void>;
}

/** Environment variable that sets the default of `--jobs` (a container whose CPU quota the core count hides). */
export const JOBS_ENV = 'TTS_AUDIT_JOBS';

export function defaultJobs(): number {
  const set = Number(process.env[JOBS_ENV]);
  return Number.isInteger(set) && set > 0 ? set : Math.max(1, availableParallelism());
}

/** Worker heap cap: a hostile clip that would exhaust memory ends its worker and becomes a finding instead. */
const WORKER_HEAP_MB = 4096;
/**
 * Worker young generation (MB; V8 gives a third of it to each semi-space). V8 sizes it from the heap cap (up to
 * 16 MB semi-spaces for 4096) and grows it as objects survive scavenges: 8-16 MB within a 3 h run. From then on
 * V8 (Node 20) started each marking at once, at 10 MB of a 26 MB limit (its slack no larger than the new space):
 * a mark-compact every 0.5-1 s a worker, 18-58 a worker in a 3 h run against 1 in a 1 h one, each dropping the
 * TurboFan code of closures not alive then (`--trace-gc --trace-incremental-marking`). With 4 MB semi-spaces a
 * worker does 1 in 3 h, and some 60 scavenges instead of 30.
 */
const WORKER_YOUNG_MB = 12;

/** A failure outside the analyzers (a worker that died) as a finding on the clip, so the run goes on. */
function failed(u: Utterance, err: unknown): ClipOutcome {
  const clip = clipSkeleton(u);
  const message = `${clip.audioPath}: analysis failed: ${err instanceof Error ? err.message : String(err)}`;
  return {
    clip,
    drafts: [{ code: 'analyzer.failed', message }],
    analysed: false,
  };
}

/**
 * Clips sent to a worker per pool task. Each task costs a message each way, a structured clone and tinypool's
 * bookkeeping (a `process.memoryUsage()` per task): at one clip per task a 1 h WAV audit took ~7 % more CPU
 * (median of 5 paired runs).
 */
export const CLIPS_PER_TASK = 8;

/** Running from the TypeScript sources (tests, `tsx`), the worker registers tsx's loader first. */
function workerFile(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './worker-from-source.mjs' : './worker.js', import.meta.url).href;
}

/**
 * Decodes and analyses clips: in this thread for `jobs` 1, else on a pool of `jobs` worker threads. The
 * run that opens it closes it; the pool and every helper process end with it.
 */
export async function openClipRunner(args: {
  jobs: number;
  config: AuditConfig;
  source: SourceInfo;
  readRoots: readonly string[];
}): Promise<ClipRunner> {
  const { jobs, config, source, readRoots } = args;
  const tools = await openClipTools(config);
  const phonemizer = tools.espeak ? `espeak-ng ${tools.espeak.version}` : null;
  if (jobs <= 1) {
    const facts = { source, alphabet: compileAlphabet(config.analyzers.text), phonemizer };
    const env = { config, facts, tools, readRoots };
    return {
      phonemizer,
      concurrency: 2, // one clip decoding while espeak-ng reads the next transcript
      analyse: (u) => analyseClip(u, env).catch((err) => failed(u, err)),
      close: async () => tools.close(), // idempotent, as the run may close on error after closing once
    };
  }
  // The probe told the version; each worker opens its own espeak-ng processes.
  tools.close();
  const init: WorkerInit = { config, source, phonemizer, readRoots };
  let destroyed: Promise<void> | undefined;
  const pool = new Tinypool({
    filename: workerFile(),
    minThreads: jobs,
    maxThreads: jobs,
    workerData: init,
    teardown: 'teardown',
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  const run = (batch: Utterance[]) => pool.run(batch) as Promise<ClipOutcome[]>;
  return {
    phonemizer,
    // Each worker busy with one batch and the next one queued behind it.
    concurrency: jobs * CLIPS_PER_TASK * 2,
    analyse: batcher(CLIPS_PER_TASK, run, failed),
    close: () => (destroyed ??= pool.destroy()),
  };
}
