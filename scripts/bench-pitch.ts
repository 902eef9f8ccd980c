// Cost of the pitch track, printed as × real time per CPU second of this process (one core) for each kind of real
// sample (rate and codec), beside the reference autocorrelation tracker of the tests (Boersma 1993 at the clip's
// full rate, FFT per frame) and plain YIN (no shortcuts) on the same clips in the same run; then the pitch track's share of the default audit's
// CPU on each corpus folder (`audit`, one job, in this process: node's CPU, not the espeak-ng child's).
// Run under `nice -n 19 npx tsx scripts/bench-pitch.ts [rounds]`.

import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFile } from '../src/audio/decode.js';
import { computeFeatures } from '../src/features/frames.js';
import { trackPitch } from '../src/features/pitch.js';
import { audit } from '../src/index.js';
import type { DecodedAudio } from '../src/types.js';
import { REAL, realClips } from './bench/real-clips.js';
import { plainYin } from '../test/helpers/plain-yin.js';
import { referencePitch } from '../test/helpers/pitch-reference.js';

const KINDS = [
  { label: 'LJSpeech WAV 22.05 kHz', dir: 'ljspeech' },
  { label: 'VCTK 0.80 WAV 48 kHz', dir: 'vctk-0.80' },
  { label: 'VCTK 0.92 FLAC 48 kHz', dir: 'vctk' },
  { label: 'LibriTTS WAV 24 kHz', dir: 'libritts' },
  { label: 'MLS Opus 16 kHz', dir: 'mls' },
];
const rounds = Number(process.argv[2] ?? 5);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** CPU seconds per round of `work`, after one warm-up round (the JIT, the first call's allocations). */
function seconds(work: () => void, n = rounds): number {
  work();
  const start = cpu();
  for (let r = 0; r < n; r++) work();
  return (cpu() - start) / n;
}
const times = (audioSec: number, sec: number) => `${(audioSec / sec).toFixed(0).padStart(6)}×`;

function plainOf(clips: DecodedAudio[]) {
  const features = clips.map((a) => computeFeatures(a));
  return () => clips.forEach((a, i) => plainYin(a, features[i]));
}

function pitchOf(clips: DecodedAudio[]) {
  const features = clips.map((a) => computeFeatures(a));
  return () =>
    clips.forEach((a, i) => {
      const f = features[i];
      trackPitch({ samples: a.samples, sampleRate: a.sampleRate, hopSize: f.hopSize, stride: 2, rmsDb: f.rmsDb });
    });
}

console.log(
  `× real time per CPU second, ${rounds} rounds; pitch = trackPitch (YIN ≈ 4 kHz); plain = YIN without the shortcuts, one lag per pass (test/helpers/plain-yin.ts), timed alternately with pitch; features = computeFeatures`,
);
console.log(`${'sample type'.padEnd(24)} clips  audio   pitch   plain  speed-up  features  reference  pitch/features`);
let worst = Infinity;
for (const kind of KINDS) {
  const clips = await realClips(join(REAL, kind.dir));
  const audioSec = clips.reduce((s, a) => s + a.durationSec, 0);
  // Short sets are timed over more rounds so each figure spans a similar CPU time.
  const n = Math.max(rounds, Math.round((rounds * 60) / audioSec));
  // Alternate the two so that the machine's load falls on both alike; the speed-up is the median of the pairs.
  const pitch = pitchOf(clips);
  const plain = plainOf(clips);
  const pairs: [number, number][] = [];
  for (let r = 0; r < 5; r++) pairs.push([seconds(pitch, Math.ceil(n / 5)), seconds(plain, Math.ceil(n / 5))]);
  const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
  const yin = median(pairs.map((p) => p[0]));
  const slow = median(pairs.map((p) => p[1]));
  const speedUp = median(pairs.map((p) => p[1] / p[0]));
  const all = seconds(() => clips.forEach((a) => computeFeatures(a)), n);
  const ref = seconds(() => clips.forEach((a) => referencePitch(a.samples, a.sampleRate, 0.02)), 1);
  worst = Math.min(worst, audioSec / yin);
  console.log(
    `${kind.label.padEnd(24)} ${String(clips.length).padStart(5)} ${audioSec.toFixed(1).padStart(5)} s ${times(audioSec, yin)} ${times(audioSec, slow)} ${speedUp.toFixed(2).padStart(8)}× ${times(audioSec, all).padStart(9)} ${times(audioSec, ref).padStart(10)} ${((100 * yin) / all).toFixed(0).padStart(13)} %`,
  );
}
console.log(`slowest sample type: ${worst.toFixed(0)}× real time (target ≥ 2,000×)`);

// The share of the default audit: the same clips' pitch CPU over the audit's CPU (decode, features, every clip and
// dataset analyzer, the reports), both in this process. A folder of a few clips is mostly the audit's fixed cost,
// so each corpus's clips are tiled (hard links, a new id each) to ≈ 4 minutes; LJSpeech and VCTK 0.80 only, whose
// layouts take a renamed copy without a table to rewrite beyond metadata.csv.
console.log(`\npitch track's share of the default audit's CPU (--jobs 1, in-process, node's CPU; ${rounds} rounds)`);
for (const { label, tile } of [
  { label: 'LJSpeech WAV 22.05 kHz', tile: tileLj },
  { label: 'VCTK 0.80 WAV 48 kHz', tile: tileVctk },
]) {
  const { source, files } = tile(5);
  const clips = await Promise.all(files.map(async (f) => (await decodeFile(f)).audio));
  const audioSec = clips.reduce((s, a) => s + a.durationSec, 0);
  const yin = seconds(pitchOf(clips));
  const slow = seconds(plainOf(clips));
  let spent = 0;
  for (let r = 0; r <= rounds; r++) {
    const out = mkdtempSync(join(tmpdir(), 'bench-pitch-'));
    const start = cpu();
    await audit({ source, out, jobs: 1 });
    if (r > 0) spent += cpu() - start; // round 0 warms up
    rmSync(out, { recursive: true, force: true });
  }
  rmSync(source, { recursive: true, force: true });
  const auditSec = spent / rounds;
  console.log(
    `${label.padEnd(24)} ${clips.length} clips, ${audioSec.toFixed(0)} s: audit ${times(audioSec, auditSec)}, pitch ${times(audioSec, yin)}: pitch is ${((100 * yin) / auditSec).toFixed(1)} % of the audit (plain YIN would be ${((100 * slow) / (auditSec - yin + slow)).toFixed(1)} %)`,
  );
}

function tileLj(copies: number) {
  const source = mkdtempSync(join(tmpdir(), 'bench-pitch-lj-'));
  mkdirSync(join(source, 'wavs'));
  const rows = readFileSync(join(REAL, 'ljspeech', 'metadata.csv'), 'utf8')
    .trim()
    .split('\n');
  const out: string[] = [];
  const files: string[] = [];
  for (let c = 0; c < copies; c++) {
    for (const row of rows) {
      const [id, ...rest] = row.split('|');
      const file = join(source, 'wavs', `${id}${c}.wav`);
      linkSync(join(REAL, 'ljspeech', 'wavs', `${id}.wav`), file);
      files.push(file);
      out.push([`${id}${c}`, ...rest].join('|'));
    }
  }
  writeFileSync(join(source, 'metadata.csv'), `${out.join('\n')}\n`);
  return { source, files };
}

function tileVctk(copies: number) {
  const source = mkdtempSync(join(tmpdir(), 'bench-pitch-vctk-'));
  const from = join(REAL, 'vctk-0.80');
  copyFileSync(join(from, 'speaker-info.txt'), join(source, 'speaker-info.txt'));
  const files: string[] = [];
  for (const speaker of readdirSync(join(from, 'wav48'))) {
    mkdirSync(join(source, 'wav48', speaker), { recursive: true });
    mkdirSync(join(source, 'txt', speaker), { recursive: true });
    for (const wav of readdirSync(join(from, 'wav48', speaker))) {
      const id = wav.replace('.wav', '');
      for (let c = 0; c < copies; c++) {
        const file = join(source, 'wav48', speaker, `${id}${c}.wav`);
        linkSync(join(from, 'wav48', speaker, wav), file);
        linkSync(join(from, 'txt', speaker, `${id}.txt`), join(source, 'txt', speaker, `${id}${c}.txt`));
        files.push(file);
      }
    }
  }
  return { source, files };
}
