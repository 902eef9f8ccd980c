// Throughput benchmark, run by hand (`npm run build` first, to measure the built package):
//   npx tsx scripts/bench-throughput.ts [--hours 1] [--budget 120] [--jobs 2] [--curve-hours 0.25] [--curve 1,2,4,8]
//                                       [--only wav,flac,parquet,curve] [--keep]
// Tiles the real LJSpeech samples to an hour-scale set and audits it: as 22.05 kHz WAV (with the cost per stage
// and sox/ffmpeg over the same files), as 48 kHz FLAC, as Hub parquet (local and over HTTP from a stand-in Hub),
// and at 1, 2, 4, 8× a base corpus in fresh processes (time per audio hour, peak RSS). Prints figures; asserts nothing.

import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFlacDataset, buildTiledDataset } from './bench/dataset.js';
import { corpusCurve } from './bench/curve.js';
import { fmt, table } from './bench/format.js';
import { cliBuilt } from './bench/cli.js';
import { fromDist } from './bench/load.js';
import {
  describeAudit,
  measureAudit,
  printStages,
  printThroughput,
  referenceRows,
  type AuditRun,
  type Row,
} from './bench/measure.js';
import { BENCH_REPO, buildParquetDataset, serveParquet } from './bench/parquet.js';
import { toolVersion } from './bench/reference.js';
import { measureStages } from './bench/stages.js';

// Issue #10 targets: ≥ 1,000× real time per CPU core on 22.05 kHz WAV with --jobs 2, ≥ 500× on 48 kHz FLAC;
// ≥ 5× faster end to end (wall) than the ffmpeg astats,silencedetect,ebur128 script run two files at a time;
// the Hub-parquet path within 20 % of the folder path on the same audio.
const TARGET_WAV = 1000;
const TARGET_FLAC = 500;
const TARGET_WALL_SPEEDUP = 5;
const TARGET_PARQUET_GAP = 0.2;
const samplesDir = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real', 'ljspeech');

const { values: args } = parseArgs({
  options: {
    hours: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    // Wall seconds per reference tool before it is measured on a subset and scaled.
    budget: { type: 'string', default: '120' },
    // Worker threads for the audit, and files at a time for the reference tools.
    jobs: { type: 'string', default: '2' },
    'curve-hours': { type: 'string', default: '0.25' },
    curve: { type: 'string', default: '1,2,4,8' },
    only: { type: 'string', default: 'wav,flac,parquet,curve' },
    'flac-rate': { type: 'string', default: '48000' },
  },
});
const hours = Number(args.hours);
const budgetSec = Number(args.budget);
const jobs = Number(args.jobs);
const curveHours = Number(args['curve-hours']);
const multiples = args.curve.split(',').map(Number);
const flacRate = Number(args['flac-rate']);
const only = new Set(args.only.split(','));
if (![hours, budgetSec, jobs, curveHours, flacRate, ...multiples].every((x) => x > 0))
  throw new Error('--hours, --budget, --jobs, --curve-hours, --curve and --flac-rate take positive numbers');

const verdicts: string[] = [];
const meets = (ok: boolean) => (ok ? 'MEETS' : 'BELOW');

function perCoreVerdict(label: string, a: AuditRun, target: number): void {
  const x = a.audioSec / a.cpuSec;
  const withChildren = a.audioSec / (a.cpuSec + (a.childCpuSec ?? 0));
  verdicts.push(
    `${label}: ${fmt(x, 0)}× real time per core (${fmt(withChildren, 0)}× counting espeak-ng) — ${meets(x >= target)} the ≥ ${target}× target` +
      (x >= target ? '' : ` (needs ${fmt(target / x, 2)}× less CPU)`),
  );
}

function endToEnd(label: string, a: AuditRun, rows: Row[]): void {
  const ffmpeg = rows.find((r) => r.tool.startsWith('ffmpeg'));
  if (!ffmpeg) return;
  const speedup = ffmpeg.wallSec / a.wallSec;
  const line = `${label}: ${fmt(a.wallSec)} s wall against ffmpeg's ${fmt(ffmpeg.wallSec)} s (${jobs} files at a time): ${fmt(speedup, 1)}× faster — ${meets(speedup >= TARGET_WALL_SPEEDUP)} the ≥ ${TARGET_WALL_SPEEDUP}× target`;
  console.log(line);
  verdicts.push(line);
}

async function wavSection(tmp: string) {
  console.log(`\n== 22.05 kHz WAV, LJSpeech layout, ${hours} h ==`);
  const set = await buildTiledDataset(samplesDir, join(tmp, 'wav'), hours * 3600);
  console.log(
    `dataset: ${set.wavs.length} wavs (${set.wavs.length / set.tileSize} tiles of the ${set.tileSize} LJSpeech samples, ${set.copied ? 'copies' : 'hard links'}), ${fmt(set.audioSec / 3600, 3)} h`,
  );
  console.log('  (the same few files repeat, so every tool reads them from the page cache: disk I/O is not measured)');
  const a = await measureAudit(`tts-audit --jobs ${jobs}`, [set.root], {
    source: set.root,
    out: join(tmp, 'wav-out'),
    jobs,
  });
  console.log(describeAudit(a));
  console.log('stage breakdown: decode / features / each analyzer on every file, in this thread …');
  const stages = await measureStages(set.root);
  const rows: Row[] = [a, ...referenceRows(set.wavs, set.tileSize, set.audioSec, budgetSec, jobs)];
  printThroughput(rows);
  console.log(`\ntts-audit stage breakdown (${stages.files} files, ${fmt(stages.audioSec / 3600, 3)} h, warm JIT):`);
  printStages(stages, a.cpuSec, a.audioSec);
  endToEnd('WAV end to end', a, rows);
  perCoreVerdict(`22.05 kHz WAV, --jobs ${jobs}`, a, TARGET_WAV);
  return { set, run: a };
}

async function flacSection(tmp: string) {
  console.log(`\n== ${flacRate / 1000} kHz FLAC, NeMo manifest, ${hours} h (the WAV set's audio, resampled by sox) ==`);
  const set = await buildFlacDataset(samplesDir, join(tmp, 'flac'), hours * 3600, flacRate);
  console.log(`dataset: ${set.wavs.length} FLAC files, ${fmt(set.audioSec / 3600, 3)} h`);
  const options = { format: 'nemo', sourceOptions: { manifest: 'manifest.json' } };
  const a = await measureAudit(`tts-audit --jobs ${jobs}`, ['--format', 'nemo', set.manifest], {
    source: set.root,
    out: join(tmp, 'flac-out'),
    jobs,
    ...options,
  });
  console.log(describeAudit(a));
  const stages = await measureStages(set.root, 'nemo', options.sourceOptions);
  const rows: Row[] = [a, ...referenceRows(set.wavs, set.tileSize, set.audioSec, budgetSec, jobs)];
  printThroughput(rows);
  console.log(`\ntts-audit stage breakdown (${stages.files} files, ${fmt(stages.audioSec / 3600, 3)} h):`);
  printStages(stages, a.cpuSec, a.audioSec);
  endToEnd('FLAC end to end', a, rows);
  perCoreVerdict(`${flacRate / 1000} kHz FLAC, --jobs ${jobs}`, a, TARGET_FLAC);
}

async function parquetSection(tmp: string, wavSet: Awaited<ReturnType<typeof wavSection>>['set']) {
  console.log(`\n== Hub parquet against the folder, the same ${fmt(wavSet.audioSec / 3600, 2)} h of WAV ==`);
  const pq = buildParquetDataset(wavSet, join(tmp, 'parquet'), 4);
  const hub = await serveParquet(pq);
  try {
    // The folder again, next to the others: the machine's load drifts over a benchmark's minutes.
    const folder = await measureAudit('folder (LJSpeech layout)', [wavSet.root], {
      source: wavSet.root,
      out: join(tmp, 'pq-folder'),
      jobs,
    });
    const local = await measureAudit('parquet folder', [pq.root], { source: pq.root, out: join(tmp, 'pq-out'), jobs });
    const cacheDir = join(tmp, 'hub-cache');
    const source = `hf://datasets/${BENCH_REPO}`;
    const hubArgs = [source, '--hub-url', hub.url, '--cache-dir', cacheDir];
    const hubOptions = { source, sourceOptions: { hubUrl: hub.url, cacheDir }, jobs };
    const cold = await measureAudit('hf:// (downloads)', hubArgs, { ...hubOptions, out: join(tmp, 'hub-1') });
    const warm = await measureAudit('hf:// (cached)', hubArgs, { ...hubOptions, out: join(tmp, 'hub-2') });
    const rows = [folder, local, cold, warm].map((r) => [
      r.tool,
      String(r.files),
      fmt(r.wallSec),
      fmt(r.cpuSec),
      `${fmt((100 * (r.wallSec - folder.wallSec)) / folder.wallSec, 0)} %`,
      `${fmt((100 * (r.cpuSec - folder.cpuSec)) / folder.cpuSec, 0)} %`,
      `${fmt(r.peakRss / 2 ** 20, 0)} MB`,
    ]);
    console.log(table(['path', 'clips', 'wall s', 'CPU s', 'wall vs folder', 'CPU vs folder', 'peak RSS'], rows));
    console.log(
      '  the stand-in Hub serves the shards from 127.0.0.1: download time is loopback HTTP, not the internet',
    );
    const gap = Math.max(...[local, warm].map((r) => (r.wallSec - folder.wallSec) / folder.wallSec));
    verdicts.push(
      `Hub parquet (local and cached hf://) within ${fmt(100 * gap, 0)} % of the folder's wall time — ${meets(gap <= TARGET_PARQUET_GAP)} the ≤ ${100 * TARGET_PARQUET_GAP} % target`,
    );
  } finally {
    await hub.close();
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
    // Other work on the machine inflates wall time more than CPU time: the per-core verdicts use CPU.
    console.log(
      `  load average at start: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    console.log(
      cliBuilt
        ? '  audits: the built CLI (node dist/cli/main.js) in a process of its own; stage breakdown: the sources, here'
        : `  audits: audit() in this process, from ${fromDist ? 'dist/' : 'the TypeScript sources (npm run build to run the CLI)'}`,
    );
    let wav: Awaited<ReturnType<typeof wavSection>> | undefined;
    if (only.has('wav') || only.has('parquet')) wav = await wavSection(tmp);
    if (only.has('flac')) await flacSection(tmp);
    if (only.has('parquet') && wav) await parquetSection(tmp, wav.set);
    if (only.has('curve')) {
      console.log(
        `\n== Corpus size: ${multiples.map((m) => `${m}×`).join(', ')} of ${curveHours} h, --jobs ${jobs} ==`,
      );
      await corpusCurve({ samplesDir, tmp, baseHours: curveHours, multiples, jobs });
    }
    console.log(
      `\nload average at the end: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    console.log('verdicts:');
    for (const v of verdicts) console.log(`  ${v}`);
  } finally {
    if (args.keep) console.log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

await main();
