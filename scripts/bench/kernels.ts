// The WebAssembly kernels against the JavaScript they replaced (kept in test/helpers as the oracle), on the real
// fixture clips: whether the results are bit-identical, and CPU seconds per audio hour of each, timed
// alternately (A, B, A, B) so that a loaded machine slows both alike.
//   nice -n 5 npx tsx scripts/bench/kernels.ts [--rounds 3] [--reps 20]
// The kernel's time includes copying the clip's samples into the WebAssembly memory.

import { parseArgs } from 'node:util';
import { computeFeatures } from '../../src/features/frames.js';
import { trackPitch, type PitchInput } from '../../src/features/pitch.js';
import { trackPitchJs } from '../../test/helpers/pitch-oracle.js';
import { realClips } from './real-clips.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, reps: { type: 'string', default: '20' } },
});
const rounds = Number(args.rounds);
const reps = Number(args.reps);

const clips = await realClips();
const inputs: PitchInput[] = clips.map((a) => {
  const f = computeFeatures(a);
  return { samples: a.samples, sampleRate: a.sampleRate, hopSize: f.hopSize, stride: f.spectralStride, rmsDb: f.rmsDb };
});
const hours = clips.reduce((s, a) => s + a.samples.length / a.sampleRate, 0) / 3600;

let differing = 0;
let frames = 0;
for (const input of inputs) {
  const a = trackPitchJs(input);
  const b = trackPitch(input);
  frames += a.f0Hz.length;
  for (let p = 0; p < a.f0Hz.length; p++) {
    if (!Object.is(a.f0Hz[p], b.f0Hz[p]) || !Object.is(a.aperiodicity[p], b.aperiodicity[p])) differing++;
  }
}
console.log(
  `${clips.length} clips, ${(hours * 3600).toFixed(0)} s of audio; pitch frames differing: ${differing} of ${frames}`,
);

function cpuPerHour(run: (input: PitchInput) => unknown): number {
  const t0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) for (const input of inputs) run(input);
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1e6 / (reps * hours);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const js: number[] = [];
const wasm: number[] = [];
for (let r = 0; r < rounds; r++) {
  js.push(cpuPerHour(trackPitchJs));
  wasm.push(cpuPerHour(trackPitch));
  console.log(`round ${r + 1}: pitch JS ${js[r].toFixed(3)}, WASM ${wasm[r].toFixed(3)} CPU s per audio hour`);
}
const [a, b] = [median(js), median(wasm)];
console.log(`median: pitch JS ${a.toFixed(3)}, WASM ${b.toFixed(3)} CPU s per audio hour (${(a / b).toFixed(2)}×)`);
