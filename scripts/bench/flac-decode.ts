// FLAC decode microbenchmark, run by hand (not in CI); prints figures, asserts nothing:
//   npx tsx scripts/bench/flac-decode.ts [--dir DIR] [--hours 1] [--rounds 5] [--dist DIST,DIST2…]
// DIR: folder of .flac files (default: the LJSpeech samples resampled by sox to 48 kHz 16-bit, as
// bench-throughput's FLAC set). The files are read once; each round decodes them from memory over and over until
// `hours` of audio, and the CPU seconds per audio hour are printed per round and as the median. `--dist` names
// built packages (folders holding index.js) whose decodeBytes to time instead of the sources', interleaved round by
// round (A, B, A, B) so that both see the same load. Beside ours: the frame splitter alone, the package's
// decodeFrames alone on the split frames (what libFLAC costs through its glue), and the `flac -d` tool on one long
// file of the same audio (libFLAC native: the floor).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeBytes } from '../../src/audio/decode.js';
import { splitFrames } from '../../src/audio/flac-frames.js';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    hours: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '5' },
    dist: { type: 'string' },
    rate: { type: 'string', default: '48000' },
  },
});
const hours = Number(args.hours);
const rounds = Number(args.rounds);

function sampleDir(): string {
  if (args.dir) return resolve(args.dir);
  const dir = mkdtempSync(join(tmpdir(), 'flac-decode-'));
  const wavs = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real', 'ljspeech', 'wavs');
  for (const f of readdirSync(wavs).filter((n) => n.endsWith('.wav')))
    execFileSync('sox', [join(wavs, f), '-r', args.rate, '-b', '16', join(dir, f.replace(/\.wav$/, '.flac'))]);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const dir = sampleDir();
const files = readdirSync(dir)
  .filter((n) => n.endsWith('.flac'))
  .sort()
  .map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(join(dir, n))) }));
type Decode = typeof decodeBytes;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Audio seconds in one pass over the files, by our decoder. */
let passSec = 0;
for (const f of files) {
  const { audio } = await decodeBytes(f.bytes, f.name);
  passSec += audio.durationSec;
}
const passes = Math.max(1, Math.ceil((hours * 3600) / passSec));
const audioHours = (passes * passSec) / 3600;

/** CPU seconds per audio hour of `work` run over every file, `passes` times. */
async function timeIt(work: (bytes: Uint8Array, name: string) => unknown): Promise<number> {
  const t0 = cpu();
  for (let p = 0; p < passes; p++) for (const f of files) await work(f.bytes, f.name);
  return (cpu() - t0) / audioHours;
}

const candidates: { label: string; decode: Decode }[] = [{ label: 'decodeBytes (sources)', decode: decodeBytes }];
for (const d of args.dist?.split(',') ?? []) {
  const mod = (await import(join(resolve(d), 'index.js'))) as { decodeBytes: Decode };
  candidates.push({ label: `decodeBytes (${d})`, decode: mod.decodeBytes });
}

// The package alone: one kept decoder fed each file's frames (same format throughout, so libFLAC runs on).
const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
const pkg = new FLACDecoder();
await pkg.ready;
const split = files.map((f) => {
  const body = f.bytes.indexOf(0xff, 42); // past fLaC + STREAMINFO; splitFrames checks the header there
  let at = body;
  for (; at < f.bytes.length; at++) if (f.bytes[at] === 0xff && (f.bytes[at + 1] & 0xfe) === 0xf8) break;
  return { ...f, start: at };
});
const splitOnly = async (bytes: Uint8Array, name: string) =>
  splitFrames(bytes, split.find((s) => s.name === name)!.start, name);
const frames = new Map(
  split.map((s) => {
    const { bounds } = splitFrames(s.bytes, s.start, s.name);
    return [s.name, bounds.slice(1).map((end, i) => s.bytes.subarray(bounds[i], end))];
  }),
);
const packageOnly = async (_: Uint8Array, name: string) => pkg.decodeFrames(frames.get(name)!);

const results = new Map<string, number[]>();
const record = (label: string, v: number) => results.set(label, [...(results.get(label) ?? []), v]);
const loads: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const c of candidates) record(c.label, await timeIt((b, n) => c.decode(b, n)));
  record('splitFrames alone', await timeIt(splitOnly));
  record('package decodeFrames alone', await timeIt(packageOnly));
  loads.push(loadavg()[0]);
}

// `flac -d` on one file holding a pass of the audio, repeated to the same hours: libFLAC natively.
const tmp = mkdtempSync(join(tmpdir(), 'flac-tool-'));
mkdirSync(tmp, { recursive: true });
const long = join(tmp, 'long.flac');
execFileSync('sox', [...files.map((f) => join(dir, f.name)), long]);
const toolRuns: number[] = [];
for (let r = 0; r < rounds; r++) {
  const script = `for i in $(seq ${passes}); do flac -d -s -f -c "$1" >/dev/null; done; times`;
  const out = spawnSync('bash', ['-c', script, 'bench', long], { encoding: 'utf8' }).stdout.trim().split('\n');
  const [user, sys] = out[out.length - 1]
    .trim()
    .split(/\s+/)
    .map((s) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(s)!;
      return Number(m[1]) * 60 + Number(m[2]);
    });
  toolRuns.push((user + sys) / audioHours);
}
rmSync(tmp, { recursive: true, force: true });
results.set('flac -d (libFLAC native, one long file)', toolRuns);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `${files.length} files, ${passSec.toFixed(1)} s a pass, ${passes} passes = ${audioHours.toFixed(2)} audio h a round, ${rounds} rounds; load ${loads.map((l) => l.toFixed(2)).join(' ')}`,
);
for (const [label, xs] of results) {
  const m = median(xs);
  console.log(
    `${label.padEnd(44)} ${m.toFixed(2).padStart(6)} CPU s per audio h (${(3600 / m).toFixed(0).padStart(5)}× real time)  rounds: ${xs.map((x) => x.toFixed(2)).join(' ')}`,
  );
}
