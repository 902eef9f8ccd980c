// Throughput benchmark, run by hand: `npx tsx scripts/bench-throughput.ts [--hours 1] [--keep] [--budget 120]`.
// Tiles the real LJSpeech samples to an hour-scale set, audits it in-process, breaks the cost down by stage,
// and runs sox and ffmpeg over the same files for scale. Prints figures; asserts nothing.

import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import type { audit as auditFn } from '../src/index.js';
import { buildTiledDataset } from './bench/dataset.js';
import { referenceTools, runReference, toolVersion } from './bench/reference.js';
import { measureStages } from './bench/stages.js';

// Issue targets: ≥ 1,000× real time per CPU core on 22.05 kHz WAV with --jobs 2; ≥ 5× faster end to end (wall)
// than the ffmpeg astats,silencedetect,ebur128 script run two files at a time.
const TARGET_X_PER_CORE = 1000;
// The built package is what users run: its workers load plain JavaScript, where workers started from the
// TypeScript sources first compile every module through tsx (~1 s each). `npm run build` first; else the sources.
const DIST = resolve(import.meta.dirname, '..', 'dist', 'index.js');
const fromDist = existsSync(DIST);
const { audit } = (await import(fromDist ? DIST : '../src/index.js')) as { audit: typeof auditFn };
const TARGET_WALL_SPEEDUP = 5;
const WARMUP_CLIPS = 20;
const samplesDir = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real', 'ljspeech');

const { values: args } = parseArgs({
  options: {
    hours: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    // Wall seconds per reference tool before it is measured on a subset and scaled.
    budget: { type: 'string', default: '120' },
    // Worker threads for the audit, and files at a time for the reference tools.
    jobs: { type: 'string', default: '2' },
  },
});
const hours = Number(args.hours);
const budgetSec = Number(args.budget);
const jobs = Number(args.jobs);
if (!(hours > 0) || !(budgetSec > 0)) throw new Error('--hours and --budget must be positive numbers');

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 0)} MB`;

/** Left-aligns the first column and right-aligns the rest, so numbers line up. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

interface Row {
  tool: string;
  files: number;
  audioSec: number;
  wallSec: number;
  cpuSec: number;
  note?: string;
}

const rowCells = (r: Row) => [
  r.tool + (r.note ? ' *' : ''),
  String(r.files),
  fmt(r.audioSec / 3600, 2),
  fmt(r.wallSec),
  fmt(r.cpuSec),
  fmt(r.audioSec / r.cpuSec, 0),
];

/** Audits in-process, sampling RSS meanwhile: the await points between clips let the timer fire. */
async function timeAudit(source: string, out: string) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const { report } = await audit({ source, out, jobs });
    const cpu = process.cpuUsage(cpu0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { report, wallSec: (performance.now() - t0) / 1000, cpuSec: (cpu.user + cpu.system) / 1e6, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), 'tts-audit-bench-'));
  try {
    console.log(
      `tts-audit throughput benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    );
    console.log(
      `  ${toolVersion('sox', '--version') ?? 'sox: not installed'}; ${toolVersion('ffmpeg', '-version') ?? 'ffmpeg: not installed'}`,
    );
    // CPU time is what the verdict uses, since other work on the machine inflates wall time more than CPU time.
    console.log(
      `  load average at start: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    console.log(
      `  audit() from ${fromDist ? 'dist/ (the built package)' : 'the TypeScript sources (run npm run build to measure dist/)'}`,
    );
    const set = await buildTiledDataset(samplesDir, join(tmp, 'dataset'), hours * 3600);
    console.log(
      `dataset: ${set.wavs.length} wavs (${set.wavs.length / set.tileSize} tiles of the ${set.tileSize} LJSpeech samples, ${set.copied ? 'copies' : 'hard links'}), ${fmt(set.audioSec / 3600, 3)} h, at ${set.root}`,
    );
    console.log(
      '  (the same few files repeat, so all tools read them from the page cache: decode-from-disk I/O is not measured)',
    );

    // A short run first, so the audit below is not charged for module loading and JIT warm-up.
    await audit({ source: set.root, out: join(tmp, 'warmup-out'), selection: { limit: WARMUP_CLIPS }, jobs });
    console.log(`warm-up: audit() on the first ${WARMUP_CLIPS} clips, not counted`);

    const a = await timeAudit(set.root, join(tmp, 'audit-out'));
    const { summary } = a.report;
    if (summary.analysed !== set.wavs.length)
      console.log(`WARNING: audit analysed ${summary.analysed} of ${set.wavs.length} clips`);
    console.log(
      `audit(): ${summary.analysed} clips analysed, ${summary.dropped} dropped; peak RSS ${mb(a.peakRss)} (sampled every 20 ms), process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );

    console.log('stage breakdown: decode / features / each analyzer on every file, in-process …');
    const stages = await measureStages(set.root);

    const rows: Row[] = [
      {
        tool: `tts-audit audit() --jobs ${jobs}`,
        files: summary.analysed,
        audioSec: a.report.run.audioSec,
        wallSec: a.wallSec,
        cpuSec: a.cpuSec,
      },
    ];
    for (const tool of referenceTools) {
      console.log(`${tool.name}: one process per file, ${jobs} at a time …`);
      const r = runReference(tool, set.wavs, set.tileSize, budgetSec, jobs);
      // Runs stop on whole tiles, so scaling by file count is scaling by audio length.
      const scale = set.wavs.length / r.files;
      const measuredSec = set.audioSec / scale;
      rows.push({
        tool: tool.name,
        files: set.wavs.length,
        audioSec: set.audioSec,
        wallSec: r.wallSec * scale,
        cpuSec: r.cpuSec * scale,
        note: r.partial
          ? `${tool.name}: measured on ${r.files} files (${fmt(measuredSec / 3600, 3)} h) in ${fmt(r.wallSec)} s wall / ${fmt(r.cpuSec)} s CPU, scaled ×${fmt(scale, 2)}`
          : undefined,
      });
    }

    console.log('\n== Throughput (same files, same run) ==');
    console.log(table(['tool', 'files', 'audio h', 'wall s', 'CPU s', '× real time per CPU-s'], rows.map(rowCells)));
    for (const r of rows) if (r.note) console.log(`  * ${r.note}`);
    console.log(
      '  tts-audit: process.cpuUsage() delta around audit({ source, out }), incl. writing clips.jsonl, reports and curated/.',
    );
    console.log(
      '  sox/ffmpeg: children user+sys from bash `times` around a `for f …; do tool; done` loop; wall includes process start-up.',
    );

    console.log(
      `\n== tts-audit stage breakdown (${stages.files} files, ${fmt(stages.audioSec / 3600, 3)} h, after the runs above: warm JIT) ==`,
    );
    const stageCpu = stages.stages.reduce((s, x) => s + x.cpuSec, 0);
    const audioH = stages.audioSec / 3600;
    const stageRow = (name: string, cpuSec: number, wallSec: number) => [
      name,
      fmt(cpuSec, 2),
      fmt(wallSec, 2),
      fmt((cpuSec * 1000) / audioH, 0),
      `${fmt((100 * cpuSec) / stageCpu)} %`,
      cpuSec > 0 ? fmt(stages.audioSec / cpuSec, 0) : '∞',
    ];
    const stageRows = stages.stages.map((s) => stageRow(s.name, s.cpuSec, s.wallSec));
    stageRows.push(
      stageRow(
        'sum of stages',
        stageCpu,
        stages.stages.reduce((s, x) => s + x.wallSec, 0),
      ),
    );
    const rest = a.cpuSec - stageCpu * (a.report.run.audioSec / stages.audioSec);
    console.log(table(['stage', 'CPU s', 'wall s', 'CPU ms per audio-h', 'share', '× real time'], stageRows));
    // Two separate passes: a small negative remainder is run-to-run noise, not work.
    const restText =
      rest > 0
        ? `~${fmt(rest, 2)} CPU s (${fmt((100 * rest) / a.cpuSec)} %)`
        : 'none measurable (below run-to-run noise)';
    console.log(
      `  audit() total ${fmt(a.cpuSec, 2)} CPU s; outside these stages (loader, tally, dataset analyzers, outputs, GC): ${restText}`,
    );
    for (const f of stages.failures.slice(0, 5)) console.log(`  WARNING analyzer failed: ${f}`);

    const x = a.report.run.audioSec / a.cpuSec;
    const ffmpeg = rows.find((r) => r.tool.startsWith('ffmpeg'));
    if (ffmpeg) {
      const speedup = ffmpeg.wallSec / a.wallSec;
      console.log(
        `end to end: tts-audit ${fmt(a.wallSec)} s wall against ffmpeg's ${fmt(ffmpeg.wallSec)} s (${jobs} files at a time): ` +
          `${fmt(speedup, 1)}× faster — ${speedup >= TARGET_WALL_SPEEDUP ? 'MEETS' : 'BELOW'} the ≥ ${TARGET_WALL_SPEEDUP}× target`,
      );
    }
    const hot = [...stages.stages].sort((p, q) => q.cpuSec - p.cpuSec)[0];
    console.log(
      `\nverdict: tts-audit ${fmt(x, 0)}× real time per core — ${x >= TARGET_X_PER_CORE ? 'MEETS' : 'BELOW'} the ≥ ${TARGET_X_PER_CORE}× target` +
        (x >= TARGET_X_PER_CORE ? '' : ` (needs ${fmt(TARGET_X_PER_CORE / x, 2)}× less CPU)`) +
        `; hottest stage: ${hot.name} at ${fmt((100 * hot.cpuSec) / stageCpu)} % of stage CPU`,
    );
  } finally {
    if (args.keep) console.log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

await main();
