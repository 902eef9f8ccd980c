// Memory at scale, run by hand after `npm run build`: `npx tsx scripts/bench-memory.ts [--clips 10000,100000,1000000]
// [--jobs 2] [--clip-sec 1.2]`. The built CLI is what users run (no tsx loader in its heap or its workers').
// Builds LJSpeech-layout sets of N short clips (hard links to 8 real cuts of --clip-sec, each clip with its own
// transcript, so per-clip text state is real), audits each with the CLI in a child process, and prints peak RSS
// (the process and its worker threads) and its growth from one size to the next. Asserts nothing.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import wavefile from 'wavefile';
import { decodeFile } from '../src/index.js';
import { pseudoTranscripts } from './bench/transcripts.js';

const ROOT = resolve(import.meta.dirname, '..');
const LJ = join(ROOT, 'test', 'fixtures', 'real', 'ljspeech', 'wavs');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
if (!existsSync(CLI)) throw new Error('no dist/cli/main.js: run `npm run build` first');

const { values: args } = parseArgs({
  options: {
    clips: { type: 'string', default: '10000,100000' },
    jobs: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    // 1.2 s: longer than signal.minDurationSec (1 s), so the clips are kept, as most clips of a real corpus are;
    // 0.4 s: every clip dropped as too short, the case where per-clip findings must go to disk.
    'clip-sec': { type: 'string', default: '1.2' },
    // seconds between progress lines on stderr (how far a long run got, and its peak RSS so far)
    every: { type: 'string', default: '300' },
  },
});
const CUT_SEC = Number(args['clip-sec']);
const sizes = args.clips.split(',').map(Number);

/** 8 short clips cut from the real LJSpeech samples (speech in the middle of each). */
async function cuts(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < 8; k++) {
    const { audio } = await decodeFile(join(LJ, `LJ001-000${(k % 7) + 1}.wav`));
    const start = Math.floor(audio.samples.length * (0.2 + 0.07 * k));
    const n = Math.round(CUT_SEC * audio.sampleRate);
    const pcm = Int16Array.from(audio.samples.subarray(start, start + n), (x) => Math.round(x * 32767));
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, audio.sampleRate, '16', pcm);
    const path = join(dir, `cut${k}.wav`);
    await writeFile(path, wav.toBuffer());
    out.push(path);
  }
  return out;
}

/** A file system allows ~65,000 links to one file: a fresh copy of the cuts serves each 50,000 clips a cut. */
const LINKS_PER_COPY = 50_000;

async function buildSet(root: string, n: number, sources: string[]) {
  await mkdir(join(root, 'wavs'), { recursive: true });
  const text = pseudoTranscripts(n);
  const rows: string[] = [];
  let copies = sources;
  for (let i = 0; i < n; i++) {
    const id = `C${String(i).padStart(7, '0')}`;
    if (i > 0 && i % (LINKS_PER_COPY * sources.length) === 0) {
      const batch = i / (LINKS_PER_COPY * sources.length);
      copies = await Promise.all(
        sources.map(async (s) => {
          const copy = join(root, `${batch}-${basename(s)}`);
          await copyFile(s, copy);
          return copy;
        }),
      );
    }
    await link(copies[i % copies.length], join(root, 'wavs', `${id}.wav`));
    const t = text();
    rows.push(`${id}|${t}|${t}`);
  }
  await writeFile(join(root, 'metadata.csv'), rows.join('\n') + '\n');
}

/** Runs the audit under /usr/bin/time; every --every seconds prints to stderr how far it got and its peak RSS so far. */
function timedRun(argv: string[], scratch: string, clipsLog: string, n: number) {
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], {
    env: { ...process.env, TMPDIR: scratch },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const started = Date.now();
  const timer = setInterval(
    () => {
      try {
        // the audit is /usr/bin/time's child; VmHWM is its peak RSS, worker threads included
        const pid = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0];
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        // clips written ≈ the log's size over the mean line of its first 64 KiB (not the whole, which may be GBs)
        // a run in progress writes its log under the working name, renamed to clips.jsonl when it finishes
        const log = existsSync(clipsLog) ? clipsLog : `${clipsLog}.part`;
        const head = Buffer.alloc(1 << 16);
        const fd = openSync(log, 'r');
        const got = readSync(fd, head, 0, head.length, 0);
        closeSync(fd);
        const perLine = got / Math.max(1, head.subarray(0, got).toString('utf8').split('\n').length - 1);
        const done = Math.round(statSync(log).size / perLine);
        console.error(
          `  ${n} clips: ${((Date.now() - started) / 1000).toFixed(0)} s, ≈${done} clips written, peak RSS so far ${(Number(hwm) / 1024).toFixed(0)} MB`,
        );
      } catch {
        // not started yet, or finished
      }
    },
    Number(args.every) * 1000,
  );
  return new Promise<{ status: number | null; stderr: string }>((done) =>
    child.on('close', (status) => {
      clearInterval(timer);
      done({ status, stderr });
    }),
  );
}

const tmp = await mkdtemp(join(tmpdir(), 'tts-audit-mem-'));
try {
  const sources = await cuts(tmp);
  const config = join(tmp, 'config.json');
  // espeak-ng would dominate the time at these sizes; its figures are per clip and hold no per-clip memory here.
  await writeFile(config, JSON.stringify({ analyzers: { phonemes: { enabled: false } } }));
  console.log(`tts-audit memory benchmark — node ${process.version}, --jobs ${args.jobs}, clips of ${CUT_SEC} s`);
  console.log('clips     | audio h | wall s | CPU s | peak RSS MB | growth vs previous size | left in tmp');
  let previous: { n: number; rssMb: number } | undefined;
  // The audit's temporary folder of its own: what its spills leave behind is all that is in it after the run.
  const scratch = join(tmp, 'scratch');
  await mkdir(scratch);
  for (const n of sizes) {
    const set = join(tmp, `set-${n}`);
    await buildSet(set, n, sources);
    const out = join(tmp, `out-${n}`);
    const timed = await timedRun(
      [
        '-f',
        '%e %U %S %M',
        process.execPath,
        CLI,
        'audit',
        set,
        '--out',
        out,
        '--jobs',
        args.jobs,
        '--config',
        config,
        '-q',
      ],
      scratch,
      join(out, 'clips.jsonl'),
      n,
    );
    const last = timed.stderr.trim().split('\n').pop() ?? '';
    const [wall, user, sys, maxKb] = last.split(' ').map(Number);
    if (timed.status !== 0 || !Number.isFinite(maxKb)) throw new Error(`audit of ${n} clips failed: ${timed.stderr}`);
    const rssMb = maxKb / 1024;
    const growth =
      previous === undefined
        ? ''
        : `${(((rssMb - previous.rssMb) / previous.rssMb) * 100).toFixed(1)} % (${(((rssMb - previous.rssMb) * 2 ** 20) / (n - previous.n)).toFixed(0)} B/clip)`;
    const left = readdirSync(scratch).length;
    console.log(
      `${String(n).padEnd(9)} | ${((n * CUT_SEC) / 3600).toFixed(1).padStart(7)} | ${wall.toFixed(0).padStart(6)} | ${(user + sys).toFixed(0).padStart(5)} | ${rssMb.toFixed(0).padStart(11)} | ${growth.padEnd(23)} | ${left}`,
    );
    previous = { n, rssMb };
    await rm(set, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
} finally {
  if (args.keep) console.log(`kept ${tmp}`);
  else await rm(tmp, { recursive: true, force: true });
}
