// Time per audio hour and peak RSS at 1, 2, 4, 8… times a base corpus, each audit in a fresh process (the built
// CLI, or audit() from the sources in run-audit.ts): the cost of an added hour should stay flat as the corpus
// grows, and memory should not grow with it.

import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditOptions } from '../../src/index.js';
import { auditCli, cliBuilt } from './cli.js';
import { buildTiledDataset } from './dataset.js';
import { fmt, mb, table } from './format.js';
import type { RunAuditResult } from './run-audit.js';

const RUNNER = join(import.meta.dirname, 'run-audit.ts');

/** The built CLI when there is one; else `audit()` from the sources in a runner process. */
async function runAudit(options: AuditOptions): Promise<RunAuditResult> {
  if (cliBuilt) {
    const r = await auditCli('curve', [options.source], options.out!, options.jobs ?? 1);
    return { ...r, clips: r.files, childCpuSec: r.childCpuSec ?? 0, maxRssBytes: r.peakRss };
  }
  // The same node flags as this process (tsx's loader), so the runner's TypeScript loads the same way.
  const r = spawnSync(process.execPath, [...process.execArgv, RUNNER, JSON.stringify(options)], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`audit runner failed (${r.status}): ${r.stderr.trim().slice(-2000)}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as RunAuditResult;
}

export async function corpusCurve(args: {
  samplesDir: string;
  tmp: string;
  baseHours: number;
  multiples: number[];
  jobs: number;
}): Promise<void> {
  const rows: string[][] = [];
  let previous: RunAuditResult | undefined;
  for (const m of args.multiples) {
    const dir = join(args.tmp, `curve-${m}`);
    const set = await buildTiledDataset(args.samplesDir, join(dir, 'dataset'), args.baseHours * m * 3600);
    process.stdout.write(`  ${m}× (${fmt(set.audioSec / 3600, 2)} h, ${set.wavs.length} clips) … `);
    const r = await runAudit({ source: set.root, out: join(dir, 'out'), jobs: args.jobs });
    const hours = r.audioSec / 3600;
    console.log(`${fmt(r.wallSec)} s wall`);
    rows.push([
      `${m}×`,
      String(r.clips),
      fmt(hours, 2),
      fmt(r.wallSec / hours),
      fmt(r.cpuSec / hours),
      // What one more hour costs, without the run's fixed start-up: flat when nothing grows with the corpus.
      previous ? fmt(((r.cpuSec - previous.cpuSec) * 3600) / (r.audioSec - previous.audioSec)) : '',
      fmt(r.audioSec / r.cpuSec, 0),
      fmt(r.childCpuSec / hours),
      mb(r.maxRssBytes),
    ]);
    await rm(dir, { recursive: true, force: true });
    previous = r;
  }
  console.log(
    table(
      [
        'corpus',
        'clips',
        'audio h',
        'wall s / audio-h',
        'CPU s / audio-h',
        'CPU s / added audio-h',
        '× per core',
        'espeak-ng CPU s / h',
        'peak RSS',
      ],
      rows,
    ),
  );
  console.log(
    '  each row: an audit in a fresh process (package load, worker start-up and JIT warm-up included); CPU is that',
  );
  console.log('  process’s, all threads; espeak-ng (phonemes analyzer) runs in child processes, counted apart.');
}
