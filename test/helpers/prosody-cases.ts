// Synthetic voices with known intonation, for test/prosody.test.ts and scripts/bench-prosody.ts: a harmonic tone
// whose F0 follows a given contour (in semitones), with syllable-like loudness modulation and optional jitter.

import type { Contour } from '../../src/features/prosody.js';
import type { DecodedAudio } from '../../src/types.js';
import { gaussian } from './audio.js';

export interface ToneOptions {
  sampleRate?: number;
  seconds: number;
  /** F0 at time t (Hz). */
  f0: (t: number) => number;
  /** Loudness envelope at time t (0–1); 1 throughout when absent. */
  envelope?: (t: number) => number;
  /** Random F0 wobble (semitones, standard deviation, changing every 20 ms). */
  jitterSt?: number;
  seed?: number;
}

/** A harmonic-rich tone (10 harmonics, 1/h amplitudes), phase integrated so glides are smooth. */
export function voiceTone({ sampleRate = 22050, seconds, f0, envelope, jitterSt = 0, seed = 1 }: ToneOptions) {
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  const rand = gaussian(seed);
  const step = Math.round(0.02 * sampleRate);
  let wobble = 0;
  let phase = 0;
  for (let i = 0; i < samples.length; i++) {
    if (jitterSt > 0 && i % step === 0) wobble = jitterSt * rand();
    const t = i / sampleRate;
    const f = f0(t) * 2 ** (wobble / 12);
    phase += (2 * Math.PI * f) / sampleRate;
    let v = 0;
    for (let h = 1; h <= 10 && h * f < sampleRate / 2; h++) v += Math.sin(h * phase + h) / h;
    samples[i] = 0.3 * (envelope ? envelope(t) : 1) * v;
  }
  const audio: DecodedAudio = { samples, sampleRate, channels: 1, bitDepth: 16, codec: 'pcm', durationSec: seconds };
  return audio;
}

/** Syllables at `rate` per second: the level swings 16 dB, as vowels and consonants do. */
export const syllables = (rate: number) => (t: number) => 0.16 + 0.84 * (0.5 - 0.5 * Math.cos(2 * Math.PI * rate * t));

export interface ContourCase {
  name: string;
  expected: Contour;
  /** Pitch change of the final movement (semitones). */
  changeSt: number;
  audio: DecodedAudio;
}

/**
 * A 2.4 s "sentence" at `baseHz`, declining 1 st/s as read speech does with accents on the way, whose last `endSec` does what `shape`
 * says: `rise`/`fall` glide by `st` semitones, `dip-rise` first falls 2 st then rises `st` (a question's low then
 * high), `peak-fall` first rises 2 st then falls `st` (an accent then a statement's fall), `flat` continues the
 * gentle declination.
 */
export function contourCase(
  shape: 'rise' | 'fall' | 'dip-rise' | 'peak-fall' | 'flat',
  baseHz: number,
  st: number,
  endSec = 0.35,
  opts: { jitterSt?: number; seed?: number } = {},
): ContourCase {
  const seconds = 2.4;
  const start = seconds - 0.05 - endSec;
  // Accents in the body (±2.5 st), faded out 0.3 s before the end movement so they leave it alone.
  const fade = (t: number) =>
    t < start - 0.6 ? 1 : t > start - 0.3 ? 0 : Math.cos(((t - start + 0.6) / 0.3) * (Math.PI / 2)) ** 2;
  const body = (t: number) => -1 * Math.min(t, start) + 2.5 * Math.sin(2 * Math.PI * 1.2 * t) * fade(t);
  const end = (t: number): number => {
    if (t <= start) return 0;
    const x = Math.min(1, (t - start) / endSec);
    if (shape === 'rise') return st * x;
    if (shape === 'fall') return -st * x;
    if (shape === 'dip-rise') return x < 0.4 ? -2 * (x / 0.4) : -2 + (st * (x - 0.4)) / 0.6;
    if (shape === 'peak-fall') return x < 0.4 ? 2 * (x / 0.4) : 2 - (st * (x - 0.4)) / 0.6;
    return -1 * (t - start);
  };
  const expected: Contour = shape === 'flat' ? 'flat' : shape === 'rise' || shape === 'dip-rise' ? 'rise' : 'fall';
  const changeSt = shape === 'flat' ? 0 : expected === 'rise' ? st : -st;
  const audio = voiceTone({
    seconds,
    f0: (t) => baseHz * 2 ** ((body(t) + end(t)) / 12),
    envelope: (t) => (t > seconds - 0.05 ? 0 : syllables(4)(t)),
    ...opts,
  });
  return {
    name: `${shape} ${st} st at ${baseHz} Hz${opts.jitterSt ? `, jitter ${opts.jitterSt} st` : ''}`,
    expected,
    changeSt,
    audio,
  };
}

/** The synthetic set the benchmark scores: every shape at two voices, three sizes, with and without jitter. */
export function contourSet(): ContourCase[] {
  const out: ContourCase[] = [];
  let seed = 1;
  for (const baseHz of [110, 210]) {
    for (const jitterSt of [0, 0.3]) {
      for (const shape of ['rise', 'fall', 'dip-rise', 'peak-fall'] as const) {
        for (const st of [2, 4, 8]) out.push(contourCase(shape, baseHz, st, 0.35, { jitterSt, seed: seed++ }));
      }
      out.push(contourCase('flat', baseHz, 0, 0.35, { jitterSt, seed: seed++ }));
      out.push(contourCase('flat', baseHz, 0, 0.35, { jitterSt, seed: seed++ }));
    }
  }
  return out;
}
