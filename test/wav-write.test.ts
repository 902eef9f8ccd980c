import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../src/audio/decode.js';
import { floatWav, pcm16Wav } from '../src/audio/wav-write.js';
import { tempDir } from './helpers/run.js';

// The WAVs tts-audit writes (Hub audio in curated/, pocketsphinx's input) must read back as what went in, with our
// decoder and with sox, the reference a user would reach for.
/** One field of soxi's, which prints only the last flag it is given. */
const soxi = (flag: string, path: string) => execFileSync('soxi', [flag, path]).toString().trim();

describe('the WAV files tts-audit writes', () => {
  const rate = 22050;
  const samples = Float32Array.from({ length: 4410 }, (_, i) => 0.9 * Math.sin((2 * Math.PI * 440 * i) / rate));
  samples[10] = 1.5; // beyond full scale: float keeps it, 16-bit clamps it

  it('32-bit float: the samples exactly, and sox reads its format', async () => {
    const path = join(tempDir(), 'f.wav');
    writeFileSync(path, floatWav(samples, rate));
    const { audio } = await decodeFile(path);
    expect(audio.sampleRate).toBe(rate);
    expect(Array.from(audio.samples)).toEqual(Array.from(samples));
    expect(['-r', '-b', '-e', '-s'].map((flag) => soxi(flag, path))).toEqual([
      String(rate),
      '32',
      'Floating Point PCM',
      String(samples.length),
    ]);
  });

  it('16-bit PCM: within one step of the samples, full scale clamped, and sox reads its format', async () => {
    const path = join(tempDir(), 'p.wav');
    writeFileSync(path, pcm16Wav(samples, rate));
    const { audio } = await decodeFile(path);
    expect(audio.samples.length).toBe(samples.length);
    for (let i = 0; i < samples.length; i++)
      expect(Math.abs(audio.samples[i] - Math.min(1, samples[i]))).toBeLessThan(2 / 32768);
    expect(['-r', '-b', '-e'].map((flag) => soxi(flag, path))).toEqual([String(rate), '16', 'Signed Integer PCM']);
  });
});
