// Cost of writing curated/ at scale, run by hand: `nice -n 19 npx tsx scripts/bench-curated.ts [--clips 10000,100000]`.
// Builds an LJSpeech-layout set of N clips (hard links to the 7 real clips) and a clips.jsonl as an audit writes it,
// then times writeCurated alone (9 in 10 clips kept, one symlink each, --emit nemo,lhotse,csv) beside GNU
// `cp -rs` making the same symlink farm of wavs/ in the same run, and prints wall and CPU time and peak RSS.
// Asserts nothing.

import { spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCurated, type DroppedClip, type TrimmedClip } from '../src/outputs/curated.js';
import { curatedSchema } from '../src/config/curated-schema.js';
import { ljspeech } from '../src/sources/ljspeech.js';
import { fileWriter } from '../src/util/jsonl.js';

const ROOT = resolve(import.meta.dirname, '..');
const LJ = join(ROOT, 'test', 'fixtures', 'real', 'ljspeech');
const { values: args } = parseArgs({ options: { clips: { type: 'string', default: '10000,100000' } } });

async function build(dir: string, n: number) {
  const rows = (await readFile(join(LJ, 'metadata.csv'), 'utf8')).trim().split('\n');
  const root = join(dir, 'data');
  await mkdir(join(root, 'wavs'), { recursive: true });
  const meta = fileWriter(join(root, 'metadata.csv'));
  const clips = fileWriter(join(dir, 'clips.jsonl'));
  for (let i = 0; i < n; i++) {
    const [base, text, norm] = rows[i % rows.length].split('|');
    const id = `${base}_${i}`;
    await link(join(LJ, 'wavs', `${base}.wav`), join(root, 'wavs', `${id}.wav`));
    await meta.write(`${id}|${text}|${norm}\n`);
    const line = {
      id,
      text,
      normalizedText: norm,
      speaker: 'LJ',
      origin: { file: 'metadata.csv', line: i + 1 },
      audioPath: `wavs/${id}.wav`,
      format: { codec: 'pcm_s16le', sampleRate: 22050, channels: 1, bitDepth: 16 },
      metrics: { 'signal.duration_sec': 5 },
      findings: [],
    };
    await clips.write(JSON.stringify(line) + '\n');
  }
  await meta.close();
  await clips.close();
  return root;
}

const none = <T>() => ({ size: 0, has: () => false, entries: (): Iterable<[string, T]> => [] });

for (const n of args.clips.split(',').map(Number)) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-curated-'));
  const root = await build(dir, n);
  const isKept = (id: string) => Number(id.slice(id.lastIndexOf('_') + 1)) % 10 !== 0;
  const dropped = {
    size: Math.ceil(n / 10),
    has: (id: string) => !isKept(id),
    *entries(): Iterable<[string, DroppedClip]> {
      for (let i = 0; i < n; i += 10)
        yield [`x_${i}`, { origin: { file: 'metadata.csv', line: i + 1 }, durationSec: 5, findings: [] }];
    },
  };
  const out = join(dir, 'out');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await writeCurated({
    source: ljspeech,
    root,
    options: {},
    outDir: out,
    isKept,
    dropped,
    trims: none<TrimmedClip>(),
    clipsPath: join(dir, 'clips.jsonl'),
    config: curatedSchema.parse({ emit: ['nemo', 'lhotse', 'csv'] }),
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const cp = spawnSync('cp', ['-rs', join(root, 'wavs'), join(dir, 'cp-farm')]);
  const cpWall = (performance.now() - t1) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${n} clips (${n - Math.ceil(n / 10)} kept): writeCurated ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ` +
      `${((wall / n) * 1e6).toFixed(1)} µs/clip; cp -rs wavs/ (all ${n}) ${cp.status === 0 ? `${cpWall.toFixed(2)} s` : 'failed'}; peak RSS so far ${rss.toFixed(0)} MB`,
  );
  await rm(dir, { recursive: true, force: true });
}
