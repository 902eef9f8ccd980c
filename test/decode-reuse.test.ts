// decodeFile reads each file into a buffer it keeps for the next one: decoding files at once, or one after
// another of different lengths and codecs, must give exactly what decoding their bytes afresh gives.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeFile } from '../src/audio/decode.js';
import { trackPitch } from '../src/features/pitch.js';

const REAL = resolve(import.meta.dirname, 'fixtures', 'real');
const lj = join(REAL, 'ljspeech', 'wavs');
const files = [
  ...readdirSync(lj).map((f) => join(lj, f)),
  join(REAL, 'vctk', 'wav48_silence_trimmed', 'p225', 'p225_001_mic1.flac'),
  join(REAL, 'vctk', 'wav48_silence_trimmed', 'p225', 'p225_002_mic2.flac'),
];

/** Bit-equal (toEqual walks 200,000 elements one by one: seconds per clip). */
const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && bytesOf(a).equals(bytesOf(b));

const fresh = async (path: string) => (await decodeBytes(new Uint8Array(readFileSync(path)), path)).audio.samples;

describe('decodeFile with reused read buffers', () => {
  it('gives every file its own samples, decoded one after another and several at once', async () => {
    const expected = await Promise.all(files.map(fresh));
    // Longest first, then shortest: a kept buffer is larger than the next file, so a stale tail would show.
    const order = files.map((_, i) => i).sort((a, b) => expected[b].length - expected[a].length);
    const oneByOne: Float32Array[] = [];
    for (const i of order) oneByOne[i] = (await decodeFile(files[i])).audio.samples;
    const atOnce = await Promise.all(files.map(async (f) => (await decodeFile(f)).audio.samples));
    // Decoding more files must not change samples handed out before.
    await Promise.all([...files, ...files].map((f) => decodeFile(f)));
    for (const [i, samples] of expected.entries()) {
      expect(same(oneByOne[i], samples), files[i]).toBe(true);
      expect(same(atOnce[i], samples), files[i]).toBe(true);
    }
  });
});

describe('trackPitch with reused scratch', () => {
  it('tracks a clip the same after a longer one as on its own', async () => {
    const clips = await Promise.all(files.slice(0, 3).map((f) => decodeFile(f)));
    const track = ({ samples, sampleRate }: { samples: Float32Array; sampleRate: number }) => {
      const hopSize = Math.round(sampleRate / 100);
      const rmsDb = new Float32Array(Math.ceil(samples.length / hopSize)).fill(-20);
      return trackPitch({ samples, sampleRate, hopSize, stride: 2, rmsDb });
    };
    const alone = clips.map((c) => track(c.audio));
    const sorted = [...clips.keys()].sort((a, b) => clips[b].audio.samples.length - clips[a].audio.samples.length);
    for (const i of sorted) {
      const again = track(clips[i].audio);
      expect(same(again.f0Hz, alone[i].f0Hz) && same(again.aperiodicity, alone[i].aperiodicity)).toBe(true);
    }
    expect(alone.some((t) => t.voiced > 0)).toBe(true);
  });
});
