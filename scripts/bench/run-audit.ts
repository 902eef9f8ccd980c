// One audit in a process of its own, for the corpus-size curve when the CLI is not built: its peak RSS is that
// run's alone. Started by curve.ts with a JSON argument; prints one JSON line with what it measured.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { AuditOptions } from '../../src/index.js';
import { watchChildren } from './children.js';

export interface RunAuditResult {
  clips: number;
  audioSec: number;
  wallSec: number;
  /** This process, all threads, from loading the package to the end of the audit (not node's own start-up). */
  cpuSec: number;
  /** espeak-ng and any other child process. */
  childCpuSec: number;
  maxRssBytes: number;
}

const options = JSON.parse(process.argv[2]) as AuditOptions;
const children = watchChildren();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { audit } = await import('./load.js');
const { report } = await audit(options);
const cpu = process.cpuUsage(cpu0);
const result: RunAuditResult = {
  clips: report.summary.analysed,
  audioSec: report.run.audioSec,
  wallSec: (performance.now() - t0) / 1000,
  cpuSec: (cpu.user + cpu.system) / 1e6,
  childCpuSec: children.stop(),
  // VmHWM, not getrusage's maxRSS, which on Linux carries the parent's peak across exec (see ./cli.ts).
  maxRssBytes:
    1024 *
    Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? process.resourceUsage().maxRSS),
};
console.log(JSON.stringify(result));
