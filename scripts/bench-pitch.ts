// Cost of the pitch track, printed as × real time per CPU second of this process (one core), beside the
// reference autocorrelation tracker of the tests (Boersma 1993 at the clip's full rate, FFT per frame) on the
// same clips in the same run. Run under `nice -n 19 npx tsx scripts/bench-pitch.ts [rounds]`.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { decodeFile } from '../src/audio/decode.js';
import { computeFeatures } from '../src/features/frames.js';
import { trackPitch } from '../src/features/pitch.js';
import { referencePitch } from '../test/helpers/pitch-reference.js';

const REAL = join(import.meta.dirname, '..', 'test', 'fixtures', 'real');
const files = execFileSync('find', [REAL, '-name', '*.wav', '-o', '-name', '*.flac', '-o', '-name', '*.opus'])
  .toString()
  .trim()
  .split('\n')
  .sort();
const rounds = Number(process.argv[2] ?? 5);
const clips = await Promise.all(files.map(async (f) => (await decodeFile(f)).audio));
const audioSec = clips.reduce((s, a) => s + a.durationSec, 0);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
function time(label: string, work: () => void): number {
  work(); // warm-up: the JIT, and the allocations of the first call
  const start = cpu();
  for (let r = 0; r < rounds; r++) work();
  const sec = (cpu() - start) / rounds;
  console.log(
    `${label.padEnd(44)} ${(audioSec / sec).toFixed(0).padStart(7)}× real time  (${(sec * 1000).toFixed(1)} ms CPU)`,
  );
  return sec;
}

const features = clips.map((a) => computeFeatures(a));
console.log(`${clips.length} real clips, ${audioSec.toFixed(1)} s of audio at 16–48 kHz, ${rounds} rounds`);
const yin = time('pitch track (trackPitch, YIN ≈ 4 kHz)', () => {
  clips.forEach((a, i) => {
    const f = features[i];
    trackPitch({ samples: a.samples, sampleRate: a.sampleRate, hopSize: f.hopSize, stride: 2, rmsDb: f.rmsDb });
  });
});
const all = time('all frame features (computeFeatures)', () => clips.forEach((a) => computeFeatures(a)));
const ref = time('reference autocorrelation tracker (tests)', () => {
  clips.forEach((a) => referencePitch(a.samples, a.sampleRate, 0.02));
});
console.log(
  `pitch is ${((100 * yin) / all).toFixed(0)} % of the feature stage; the reference costs ${(ref / yin).toFixed(0)}× more`,
);
