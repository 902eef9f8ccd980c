// The cases of scripts/bench-silence.ts (and scripts/silence-misses.ts): real clips padded with their own room tone
// and mixed with white, pink or rumble noise, with the true leading and trailing silence of each.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeFile } from '../../src/audio/decode.js';
import type { DecodedAudio } from '../../src/types.js';
import { pinkNoise, rumbleNoise, uniform, whiteNoise } from './noise.js';

export const REAL = resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real');
const DIRS = ['ljspeech/wavs', 'libritts', 'vctk/wav48_silence_trimmed', 'vctk-0.80/wav48', 'mls'];
export const SNRS = [10, 15, 20, 30];
const ROOM_BLOCK_SEC = 0.02;
const FADE_SEC = 0.005;

// Speech start and end (s) in each clean clip, checked by spectrogram (see scripts/bench-silence.ts). The energy
// method on the clean clip agreed within 0.05 s except where noted; LJSpeech and LibriTTS clips start within 0.06 s
// of their first sample.
export const CLEAN_EDGES: Record<string, [start: number, end: number]> = {
  'LJ001-0001': [0.02, 9.58],
  'LJ001-0002': [0.02, 1.85],
  'LJ001-0003': [0.04, 9.59],
  'LJ001-0004': [0.01, 5.03], // "book": the /k/ release ends at 5.03; a faint 1.1 kHz tone after it is not speech
  'LJ001-0005': [0.02, 8.04],
  'LJ001-0006': [0.01, 5.58],
  'LJ001-0007': [0.01, 8.31],
  '5639_40744_000000_000002': [0.04, 12.38],
  '8455_210777_000067_000000': [0.05, 2.94],
  '8463_294825_000043_000000': [0.06, 3.13], // creaky decay of the last vowel to 3.13
  p225_001_mic1: [0.29, 1.65],
  p225_002_mic1: [0.97, 3.34], // clicks at 0.33 and 0.42 s are not speech
  // "Please": breathy onset rising out of the hiss from 0.82 to 0.89 s (seen at -z 60 -Z -30), voicing at 1.0 s; the
  // energy method on the clean clip said 0.78. "Stella" fades out at 2.05 s.
  p226_001_mic1: [0.85, 2.05],
  // VCTK 0.80 (untrimmed): onsets as in test/speech-onsets.test.ts; ends over the last 1.5 s.
  p225_003: [1.03, 6.98], // "Bob": the /b/ release at 6.97–6.98
  p226_003: [1.18, 7.97], // "Bob": the vowel ends at 7.84, a faint /b/ release at 7.91–7.97
  p230_023: [2.22, 14.96],
  p238_165: [0.89, 4.2],
  p255_367: [1.13, 4.91],
  p301_102: [1.29, 3.28],
  p314_272: [1.28, 3.91], // "objective": the devoiced /v/'s friction to 3.91
  p376_193: [3.41, 5.77], // "address": the /s/ to 5.77
  '13697_11991_000000': [0.37, 14.68], // MLS Spanish (Opus)
};

export const NOISES = {
  white: (n: number, seed: number) => whiteNoise(n, seed),
  pink: (n: number, seed: number) => pinkNoise(n, seed),
  rumble: (n: number, seed: number, rate: number) => rumbleNoise(n, seed, rate),
};
export type NoiseKind = keyof typeof NOISES;

function audioFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? audioFiles(join(dir, e.name)) : /\.(wav|flac|opus)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The real clips, in a fixed order; the halves are odd and even places in it. */
export const benchFiles = (): string[] =>
  DIRS.flatMap((d) => audioFiles(join(REAL, d))).filter((f) => !f.includes('_mic2'));

export function meanPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / Math.max(1, x.length);
}

/**
 * `n` samples of the clip's own room tone: 20 ms blocks from outside its speech (before `start` less 50 ms, after
 * `end` plus 50 ms), drawn at random and joined with 5 ms cross-fades. A clip with under 0.1 s of room tone
 * (LJSpeech starts within 20 ms) adds its quietest 10 % of blocks: the pauses between its words.
 */
function roomTone(x: Float32Array, rate: number, start: number, end: number, n: number, seed: number): Float32Array {
  const len = Math.round(ROOM_BLOCK_SEC * rate);
  const fade = Math.round(FADE_SEC * rate);
  const starts: number[] = [];
  for (let i = 0; i + len <= Math.round((start - 0.05) * rate); i += len) starts.push(i);
  for (let i = Math.round((end + 0.05) * rate); i + len <= x.length; i += len) starts.push(i);
  if (starts.length * ROOM_BLOCK_SEC < 0.1) {
    const energy = (i: number) => x.subarray(i, i + len).reduce((a, v) => a + v * v, 0);
    const all = Array.from({ length: Math.floor(x.length / len) }, (_, k) => k * len);
    all.sort((a, b) => energy(a) - energy(b));
    starts.push(...all.slice(0, Math.max(5, Math.floor(all.length / 10))));
  }
  const u = uniform(seed);
  const out = new Float32Array(n);
  for (let at = 0; at < n; at += len - fade) {
    const from = starts[Math.floor(u() * starts.length)];
    for (let k = 0; k < len && at + k < n; k++) {
      const w = at > 0 && k < fade ? k / fade : 1;
      out[at + k] = out[at + k] * (1 - w) + x[from + k] * w;
    }
  }
  return out;
}

export const asAudio = (samples: Float32Array, sampleRate: number): DecodedAudio => ({
  samples,
  sampleRate,
  channels: 1,
  bitDepth: 32,
  codec: 'pcm',
  durationSec: samples.length / sampleRate,
});

export interface SilenceCase {
  name: string;
  half: 'A' | 'B';
  seed: number;
  kind: NoiseKind;
  snr: number;
  audio: DecodedAudio;
  truthLead: number;
  truthTrail: number;
}

/**
 * Every case of clip `i` (its place in `benchFiles()`): `seeds` paddings × noises × SNRs. The pads are 0.5–1.2 s,
 * seeded; the noise is mixed over the whole padded clip at `snr` dB below the clean clip's mean power.
 */
export async function* clipCases(
  file: string,
  i: number,
  seeds: number,
  only?: { kinds?: string[]; snrs?: number[] },
): AsyncGenerator<SilenceCase> {
  const { audio: clean } = await decodeFile(file);
  const rate = clean.sampleRate;
  const name = file
    .split('/')
    .pop()!
    .replace(/\.(wav|flac|opus)$/, '');
  const edges = CLEAN_EDGES[name];
  if (!edges) throw new Error(`${name}: no checked speech edges in CLEAN_EDGES`);
  const half = i % 2 === 0 ? 'A' : 'B';
  const power = meanPower(clean.samples);
  for (let seed = 1; seed <= seeds; seed++) {
    const u = uniform(1000 * i + seed);
    const padLead = 0.5 + 0.7 * u();
    const padTrail = 0.5 + 0.7 * u();
    const lead0 = Math.round(padLead * rate);
    const padded = new Float32Array(lead0 + clean.samples.length + Math.round(padTrail * rate));
    padded.set(roomTone(clean.samples, rate, edges[0], edges[1], lead0, 13 * i + seed));
    padded.set(clean.samples, lead0);
    const tail = lead0 + clean.samples.length;
    padded.set(roomTone(clean.samples, rate, edges[0], edges[1], padded.length - tail, 17 * i + seed), tail);
    const truthLead = lead0 / rate + edges[0];
    const duration = padded.length / rate;
    const truthTrail = duration - (lead0 / rate + edges[1]);
    for (const [kind, make] of Object.entries(NOISES) as [NoiseKind, (typeof NOISES)[NoiseKind]][]) {
      if (only?.kinds && !only.kinds.includes(kind)) continue;
      const noise = make(padded.length, 7919 * i + 31 * seed, rate);
      const noisePower = meanPower(noise);
      for (const snr of SNRS) {
        if (only?.snrs && !only.snrs.includes(snr)) continue;
        const gain = Math.sqrt(power / (noisePower * 10 ** (snr / 10)));
        const mixed = new Float32Array(padded.length);
        for (let k = 0; k < mixed.length; k++) mixed[k] = padded[k] + gain * noise[k];
        yield { name, half, seed, kind, snr, audio: asAudio(mixed, rate), truthLead, truthTrail };
      }
    }
  }
}
