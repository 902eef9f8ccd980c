// What the sample rate costs past the decoder, run by hand (not in CI); prints figures, asserts nothing:
//   npx tsx scripts/bench/features-by-rate.ts [--rates 22050,24000,48000] [--minutes 10] [--rounds 3]
// The LJSpeech samples resampled by sox to each rate (16-bit WAV, so decoding is nearly free), tiled to `minutes`
// of audio as an LJSpeech folder, and timed stage by stage (measureStages: decode, features, speech span, each
// analyzer) — the rates interleaved round by round. A stage whose CPU per audio hour grows with the rate does
// per-sample or per-bin work at the full rate; the 48 kHz over 24 kHz ratio says what running it decimated by
// 2 could save (before the decimation's own cost and any change in its results).

import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureStages } from './stages.js';

const { values: args } = parseArgs({
  options: {
    rates: { type: 'string', default: '22050,24000,48000' },
    minutes: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});
const rates = args.rates.split(',').map(Number);
const samples = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real', 'ljspeech');
const tmp = await mkdtemp(join(tmpdir(), 'features-by-rate-'));

/** An LJSpeech folder of the samples at `rate`, tiled to at least `minutes` of audio. */
async function build(rate: number): Promise<string> {
  const [root, once] = [join(tmp, String(rate)), join(tmp, `${rate}-once`)];
  await mkdir(join(root, 'wavs'), { recursive: true });
  await mkdir(once, { recursive: true });
  const lines = (await readFile(join(samples, 'metadata.csv'), 'utf8')).split('\n').filter((l) => l.includes('|'));
  let sec = 0;
  for (const l of lines) {
    const id = l.split('|')[0];
    const out = join(once, `${id}.wav`);
    execFileSync('sox', [join(samples, 'wavs', `${id}.wav`), '-r', String(rate), '-b', '16', out]);
    sec += Number(execFileSync('soxi', ['-D', out]).toString());
  }
  const tiles = Math.ceil((Number(args.minutes) * 60) / sec);
  const rows: string[] = [];
  for (let k = 0; k < tiles; k++)
    for (const l of lines) {
      const id = l.split('|')[0];
      await link(join(once, `${id}.wav`), join(root, 'wavs', `${id}_${k}.wav`));
      rows.push(`${id}_${k}${l.slice(id.length)}`);
    }
  await writeFile(join(root, 'metadata.csv'), rows.join('\n') + '\n');
  return root;
}

const roots = new Map<number, string>();
for (const rate of rates) roots.set(rate, await build(rate));
console.log(`${(await readdir(join(roots.get(rates[0])!, 'wavs'))).length} clips a set`);

/** CPU ms per audio hour, by stage name, one array of rounds per rate. */
const costs = new Map<string, Map<number, number[]>>();
const loads: number[] = [];
for (let r = 0; r < Number(args.rounds); r++) {
  for (const rate of rates) {
    const b = await measureStages(roots.get(rate)!);
    const perHour = (s: { cpuSec: number }) => (s.cpuSec * 1000) / (b.audioSec / 3600);
    const all = [
      ...b.stages,
      ...b.parts,
      { name: 'sum of stages', cpuSec: b.stages.reduce((s, x) => s + x.cpuSec, 0) },
    ];
    for (const s of all) {
      const byRate = costs.get(s.name) ?? new Map<number, number[]>();
      byRate.set(rate, [...(byRate.get(rate) ?? []), perHour(s)]);
      costs.set(s.name, byRate);
    }
  }
  loads.push(loadavg()[0]);
}
await rm(tmp, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `CPU ms per audio hour, medians of ${args.rounds} rounds; load ${loads.map((l) => l.toFixed(1)).join(' ')}`,
);
const last = rates[rates.length - 1];
const half = rates.find((x) => x * 2 === last);
console.log(
  ['stage'.padEnd(52), ...rates.map((x) => `${x / 1000} kHz`.padStart(10)), half ? `  ${last}/${half}` : ''].join(''),
);
for (const [name, byRate] of costs) {
  const m = rates.map((x) => median(byRate.get(x) ?? [0]));
  const ratio = half ? m[rates.length - 1] / median(byRate.get(half)!) : NaN;
  console.log(
    [name.padEnd(52), ...m.map((v) => v.toFixed(0).padStart(10)), half ? `  ${ratio.toFixed(2)}×` : ''].join(''),
  );
}
