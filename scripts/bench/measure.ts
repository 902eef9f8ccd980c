// One dataset's figures: the audit in this process (CPU of all threads, espeak-ng children apart, peak RSS), its
// cost per stage, and the reference tools over the same files.

import { performance } from 'node:perf_hooks';
import type { AuditOptions } from '../../src/index.js';
import { watchChildren } from './children.js';
import { auditCli, cliBuilt } from './cli.js';
import { fmt, mb, table } from './format.js';
import { audit } from './load.js';
import { referenceTools, runReference } from './reference.js';
import type { StageBreakdown } from './stages.js';

export interface Row {
  tool: string;
  files: number;
  audioSec: number;
  wallSec: number;
  cpuSec: number;
  /** CPU of child processes the tool started (tts-audit: espeak-ng); reference tools count theirs in cpuSec. */
  childCpuSec?: number;
  note?: string;
}

export interface AuditRun extends Row {
  peakRss: number;
}

/**
 * The built CLI in a process of its own when there is one (what users run: package load, worker start-up and
 * JIT warm-up included); else `audit()` in this process after a short warm-up run.
 */
export async function measureAudit(tool: string, cliArgs: string[], options: AuditOptions): Promise<AuditRun> {
  if (cliBuilt) return auditCli(tool, cliArgs, options.out!, options.jobs ?? 1);
  await audit({ ...options, out: `${options.out}-warmup`, selection: { limit: 20 } });
  return timeAudit(tool, options);
}

/** Audits in-process, sampling RSS meanwhile: the await points between clips let the timer fire. */
export async function timeAudit(tool: string, options: AuditOptions): Promise<AuditRun> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const children = watchChildren();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const { report } = await audit(options);
    const cpu = process.cpuUsage(cpu0);
    const wallSec = (performance.now() - t0) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const { analysed, listed } = report.summary;
    if (analysed !== listed) console.log(`  WARNING: ${tool}: ${analysed} of ${listed} clips analysed`);
    return {
      tool,
      files: analysed,
      audioSec: report.run.audioSec,
      wallSec,
      cpuSec: (cpu.user + cpu.system) / 1e6,
      childCpuSec: children.stop(),
      peakRss,
    };
  } finally {
    clearInterval(sampler);
  }
}

export const throughputHeader = ['tool', 'files', 'audio h', 'wall s', 'CPU s', '× real time per CPU-s'];

export function rowCells(r: Row): string[] {
  const cpu = r.cpuSec + (r.childCpuSec ?? 0);
  return [
    r.tool + (r.note ? ' *' : ''),
    String(r.files),
    fmt(r.audioSec / 3600, 2),
    fmt(r.wallSec),
    r.childCpuSec === undefined ? fmt(r.cpuSec) : `${fmt(r.cpuSec)} + ${fmt(r.childCpuSec)}`,
    r.childCpuSec === undefined
      ? fmt(r.audioSec / cpu, 0)
      : `${fmt(r.audioSec / r.cpuSec, 0)} (${fmt(r.audioSec / cpu, 0)})`,
  ];
}

export function describeAudit(a: AuditRun): string {
  return `${a.tool}: ${a.files} clips, ${fmt(a.wallSec)} s wall, ${fmt(a.cpuSec)} CPU s (${fmt(a.audioSec / a.cpuSec, 0)}× per core), espeak-ng ${fmt(a.childCpuSec ?? 0, 2)} CPU s, peak RSS ${mb(a.peakRss)}`;
}

/** The reference tools over `files`, `jobs` at a time, measured on whole tiles within `budgetSec` and scaled. */
export function referenceRows(files: string[], tileSize: number, audioSec: number, budgetSec: number, jobs: number) {
  const rows: Row[] = [];
  for (const tool of referenceTools) {
    process.stdout.write(`  ${tool.name}: one process per file, ${jobs} at a time … `);
    const r = runReference(tool, files, tileSize, budgetSec, jobs);
    // Runs stop on whole tiles, so scaling by file count is scaling by audio length.
    const scale = files.length / r.files;
    console.log(`${fmt(r.wallSec)} s`);
    rows.push({
      tool: tool.name,
      files: files.length,
      audioSec,
      wallSec: r.wallSec * scale,
      cpuSec: r.cpuSec * scale,
      note: r.partial
        ? `${tool.name}: measured on ${r.files} files (${fmt(audioSec / scale / 3600, 3)} h) in ${fmt(r.wallSec)} s wall / ${fmt(r.cpuSec)} s CPU, scaled ×${fmt(scale, 2)}`
        : undefined,
    });
  }
  return rows;
}

export function printThroughput(rows: Row[]): void {
  console.log(table(throughputHeader, rows.map(rowCells)));
  for (const r of rows) if (r.note) console.log(`  * ${r.note}`);
  console.log(
    cliBuilt
      ? '  tts-audit: the CLI from dist/ in its own process, CPU of all its threads from start to exit (package load,'
      : '  tts-audit: process.cpuUsage() around audit() in this process after a warm-up run (all threads; writing',
  );
  console.log(
    cliBuilt
      ? '  worker start-up and outputs included) + espeak-ng children; × per CPU-s without them, (with them) in brackets.'
      : '  the outputs included) + espeak-ng children; × per CPU-s without them, and (with them) in brackets.',
  );
  console.log('  sox/ffmpeg: children user+sys from bash `times` around the batch; wall includes process start-up.');
}

/** Per-stage CPU, as a share of the stages' sum and as × real time. */
export function printStages(stages: StageBreakdown, auditCpuSec: number, auditAudioSec: number): void {
  const stageCpu = stages.stages.reduce((s, x) => s + x.cpuSec, 0);
  const audioH = stages.audioSec / 3600;
  const row = (name: string, cpuSec: number, wallSec: number) => [
    name,
    fmt(cpuSec, 2),
    fmt(wallSec, 2),
    fmt((cpuSec * 1000) / audioH, 0),
    `${fmt((100 * cpuSec) / stageCpu)} %`,
    cpuSec > 0 ? fmt(stages.audioSec / cpuSec, 0) : '∞',
  ];
  const rows = stages.stages.map((s) => row(s.name, s.cpuSec, s.wallSec));
  rows.push(
    row(
      'sum of stages',
      stageCpu,
      stages.stages.reduce((s, x) => s + x.wallSec, 0),
    ),
  );
  // Timed again on their own, so outside the sum; their share is of the sum all the same.
  for (const p of stages.parts) rows.push(row(`  of which ${p.name}`, p.cpuSec, p.wallSec));
  console.log(table(['stage', 'CPU s', 'wall s', 'CPU ms per audio-h', 'share', '× real time'], rows));
  const rest = auditCpuSec - stageCpu * (auditAudioSec / stages.audioSec);
  // Two separate passes: a small negative remainder is run-to-run noise, not work.
  const restText =
    rest > 0
      ? `~${fmt(rest, 2)} CPU s (${fmt((100 * rest) / auditCpuSec)} %)`
      : 'none measurable (below run-to-run noise)';
  console.log(
    `  audit() total ${fmt(auditCpuSec, 2)} CPU s; outside these stages (worker start-up, loader, messages, tally, dataset analyzers, outputs, GC): ${restText}`,
  );
  for (const f of stages.failures.slice(0, 5)) console.log(`  WARNING analyzer failed: ${f}`);
}
