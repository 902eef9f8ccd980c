// Two builds of the CLI against each other on the same tiled LJSpeech WAV set, run alternately (A, B, A, B …) so
// that the machine's load drifts over both alike; by hand, on Linux:
//   cp -r dist /tmp/dist-old   (before the change; `npm run build` after it)
//   npx tsx scripts/bench/ab-cli.ts --a /tmp/dist-old --b dist [--hours 3] [--pairs 3] [--jobs 2]
// Each run's node CPU (all threads, espeak-ng apart) is read from /proc/PID/task/*/stat while it runs, and split
// into the main thread, the worker threads (the `jobs` busiest threads started after the first 10 ms) and the
// rest (V8's compiler and GC helpers, libuv's file-system pool). Prints each run, the per-pair ratios and medians.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTiledDataset } from './dataset.js';
import { fmt, table } from './format.js';

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    hours: { type: 'string', default: '3' },
    pairs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '2' },
  },
});
if (!args.a || !args.b) throw new Error('usage: ab-cli.ts --a DIST --b DIST [--hours 3] [--pairs 3] [--jobs 2]');
const jobs = Number(args.jobs);
const TICK_SEC = 0.01; // USER_HZ

interface Split {
  total: number;
  main: number;
  workers: number;
  helpers: number;
}

/** CPU seconds per thread id of `pid`, with the thread's start time (clock ticks since boot). */
function threadTimes(pid: number, into: Map<number, { cpu: number; start: number }>): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return; // ended
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      into.set(Number(tid), { cpu: (Number(f[11]) + Number(f[12])) * TICK_SEC, start: Number(f[19]) });
    } catch {
      // the thread ended between the listing and the read
    }
  }
}

async function runOnce(dist: string, set: string, out: string): Promise<Split> {
  const cli = resolve(dist, 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'audit', set, '--out', out, '--jobs', String(jobs), '-q'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const seen = new Map<number, { cpu: number; start: number }>();
  const timer = setInterval(() => threadTimes(child.pid!, seen), 50);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearInterval(timer);
  if (code !== 0 && code !== 1) throw new Error(`${cli} exited ${code}`);
  const main = seen.get(child.pid!)?.cpu ?? 0;
  const first = seen.get(child.pid!)?.start ?? 0;
  // Worker threads start once the run has read its source; V8's and libuv's threads start with the process.
  const others = [...seen.entries()].filter(([tid]) => tid !== child.pid);
  const late = others.filter(([, t]) => t.start > first + 1).sort((x, y) => y[1].cpu - x[1].cpu);
  const workers = late.slice(0, jobs).reduce((s, [, t]) => s + t.cpu, 0);
  const total = [...seen.values()].reduce((s, t) => s + t.cpu, 0);
  return { total, main, workers, helpers: total - main - workers };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

const tmp = await mkdtemp(join(tmpdir(), 'tts-audit-ab-'));
try {
  const set = await buildTiledDataset(
    resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real', 'ljspeech'),
    join(tmp, 'wav'),
    Number(args.hours) * 3600,
  );
  const hours = set.audioSec / 3600;
  console.log(`${set.wavs.length} clips, ${fmt(hours, 2)} h; load average ${loadavg().map((l) => fmt(l, 2))}`);
  const runs: { a: Split; b: Split }[] = [];
  const rows: string[][] = [];
  const perHour = (s: Split) => [s.total, s.main, s.workers, s.helpers].map((x) => fmt(x / hours, 2));
  for (let p = 0; p < Number(args.pairs); p++) {
    const a = await runOnce(args.a, set.root, join(tmp, `out-a-${p}`));
    const b = await runOnce(args.b, set.root, join(tmp, `out-b-${p}`));
    runs.push({ a, b });
    rows.push([`A ${p + 1}`, ...perHour(a), fmt(loadavg()[0], 1)], [`B ${p + 1}`, ...perHour(b), fmt(loadavg()[0], 1)]);
  }
  console.log(table(['run', 'CPU s/h', 'main', 'workers', 'helpers', 'load'], rows));
  const ratio = median(runs.map((r) => r.b.total / r.a.total));
  console.log(
    `median CPU s per audio hour: A ${fmt(median(runs.map((r) => r.a.total)) / hours, 2)}, B ${fmt(median(runs.map((r) => r.b.total)) / hours, 2)}; median B/A per pair ${fmt(ratio, 3)}`,
  );
} finally {
  await rm(tmp, { recursive: true, force: true });
}
