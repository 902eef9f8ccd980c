// An audit as users run it: `node dist/cli/main.js audit …` in a process of its own, plain JavaScript (run from
// this benchmark's process, worker threads would inherit tsx's loader and start slower than a user's). A module
// loaded with --import reports the process's CPU (all threads) and peak RSS when it exits; espeak-ng, its child,
// is read from /proc while it runs.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { watchChildren } from './children.js';
import type { AuditRun } from './measure.js';

const CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

/** True when the built CLI is there to run (else the benchmark audits in its own process). */
export const cliBuilt = existsSync(CLI) && process.platform === 'linux';

// Peak RSS is VmHWM, the high-water mark of this process' own memory: getrusage's maxRSS is not, on Linux exec
// carries the forking process' mark over, so every audit started by a benchmark that had built a large data set
// in memory reported that benchmark's peak (790 MB for 0.25 h audits).
const REPORTER = `import { isMainThread } from 'node:worker_threads';
import { readFileSync, writeFileSync } from 'node:fs';
if (isMainThread && process.env.TTS_AUDIT_BENCH_STATS) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    const maxRss = hwm ? Number(hwm) * 1024 : process.resourceUsage().maxRSS * 1024;
    writeFileSync(process.env.TTS_AUDIT_BENCH_STATS, JSON.stringify({ cpuSec: (cpu.user + cpu.system) / 1e6, maxRss }));
  });
}
`;

/** Runs `tts-audit audit <args> --out <out> --jobs <jobs> -q` and measures it. */
export async function auditCli(tool: string, args: string[], out: string, jobs: number): Promise<AuditRun> {
  const reporter = join(out + '.reporter.mjs');
  const stats = join(out + '.stats.json');
  writeFileSync(reporter, REPORTER);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(reporter).href, CLI, 'audit', ...args, '--out', out, '--jobs', String(jobs), '-q'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TTS_AUDIT_BENCH_STATS: stats } },
  );
  const children = watchChildren(child.pid);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const wallSec = (performance.now() - t0) / 1000;
  const childCpuSec = children.stop();
  // Exit 1 is a gate failure, which is a finished audit.
  if (code !== 0 && code !== 1) throw new Error(`${tool}: tts-audit exited ${code}: ${stderr.trim().slice(-2000)}`);
  const { cpuSec, maxRss } = JSON.parse(readFileSync(stats, 'utf8')) as { cpuSec: number; maxRss: number };
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
    run: { audioSec: number };
    summary: { analysed: number; listed: number };
  };
  if (report.summary.analysed !== report.summary.listed)
    console.log(`  WARNING: ${tool}: ${report.summary.analysed} of ${report.summary.listed} clips analysed`);
  return {
    tool,
    files: report.summary.analysed,
    audioSec: report.run.audioSec,
    wallSec,
    cpuSec,
    childCpuSec,
    peakRss: maxRss,
  };
}
