// Resampler tests: lengths, pure tones in and out of the band, and sox's `rate` on real VCTK speech.

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../src/audio/decode.js';
import { PASSBAND, resample } from '../src/dsp/resample.js';

const REAL = resolve(import.meta.dirname, 'fixtures', 'real');

const tone = (hz: number, rate: number, seconds = 1, amplitude = 0.5): Float32Array =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );

/** RMS of x without its first and last 100 ms, where the filter runs into the zeros around the clip. */
function innerRms(x: ArrayLike<number>, rate: number): number {
  const edge = Math.round(rate / 10);
  let sum = 0;
  for (let i = edge; i < x.length - edge; i++) sum += x[i] ** 2;
  return Math.sqrt(sum / (x.length - 2 * edge));
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('resample', () => {
  it('returns round(n · to / from) samples', () => {
    const pairs = [
      [48000, 16000],
      [44100, 16000],
      [24000, 16000],
      [22050, 16000],
      [96000, 16000],
      [8000, 16000],
      [16000, 44100],
      [44100, 16001],
    ];
    for (const [from, to] of pairs) {
      for (const n of [0, 1, 2, 3, 7, 1000, 44101]) {
        expect([from, to, n, resample(new Float32Array(n).fill(0.1), from, to).length]).toEqual([
          from,
          to,
          n,
          Math.round((n * to) / from),
        ]);
      }
    }
  });

  it('is pure: the input is untouched and the same rate gives a copy', () => {
    const x = tone(440, 48000, 0.2);
    const before = x.slice();
    resample(x, 48000, 16000);
    // Element loops, not toEqual: vitest's deep equality takes ~0.1 s per few thousand floats.
    const equal = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
    expect(equal(x, before)).toBe(true);
    const same = resample(x, 48000, 48000);
    expect(equal(same, x)).toBe(true);
    expect(same).not.toBe(x);
  });

  it('rejects rates that are not positive integers', () => {
    for (const [from, to] of [
      [0, 16000],
      [48000, -1],
      [44100.5, 16000],
      [48000, Number.NaN],
    ]) {
      expect(() => resample(new Float32Array(10), from, to)).toThrow(RangeError);
    }
  });

  // Compared with the ideal tone at the new rate: amplitude, frequency and timing (no delay) at once.
  // 8 kHz → 16 kHz goes up; 44.1 kHz → 16001 Hz has 16001 phases and takes the interpolated-table path.
  it.each([
    [48000, 16000],
    [22050, 16000],
    [44100, 16000],
    [24000, 16000],
    [8000, 16000],
    [44100, 16001],
  ])('a 1 kHz tone keeps its amplitude (±0.1 dB), frequency and phase: %i → %i Hz', (from, to) => {
    const out = resample(tone(1000, from), from, to);
    const ideal = tone(1000, to);
    expect(Math.abs(db(innerRms(out, to) / innerRms(ideal, to)))).toBeLessThan(0.1);
    let worst = 0;
    const edge = Math.round(to / 10);
    for (let i = edge; i < out.length - edge; i++) worst = Math.max(worst, Math.abs(out[i] - ideal[i]));
    expect(worst).toBeLessThan(1e-3); // 0.2 % of the amplitude
  });

  it(`is flat (±0.1 dB) up to ${PASSBAND} of the lower Nyquist (7.2 kHz for 16 kHz)`, () => {
    for (const hz of [50, 300, 3000, 6000, 7000, 7200]) {
      const out = resample(tone(hz, 48000), 48000, 16000);
      expect([hz, Math.abs(db(innerRms(out, 16000) / (0.5 / Math.SQRT2))) < 0.1]).toEqual([hz, true]);
    }
  });

  // A tone above the new Nyquist (8 kHz) must not come back as an alias: 8.5 kHz would fold to 7.5 kHz,
  // 10 kHz to 6 kHz, 16.5 kHz (after 48k → 24k) to 7.5 kHz. A 7.5 kHz tone itself is below Nyquist, so it
  // is not an alias: it sits in the 7.2–8 kHz transition band and comes out attenuated by only a few dB.
  it.each([
    [48000, [8000, 8500, 9000, 10000, 12000, 15000, 16500, 20000, 23500]],
    [44100, [8000, 8500, 11000, 14000, 17000, 21000]],
    [24000, [8000, 8500, 10000, 11500]],
    [22050, [8000, 8500, 10000, 10800]],
  ])('%i Hz → 16 kHz: tones above 8 kHz are ≥ 60 dB down', (from, tones) => {
    for (const hz of tones) {
      const out = resample(tone(hz, from), from, 16000);
      const attenuation = db(innerRms(out, 16000) / (0.5 / Math.SQRT2));
      expect(attenuation, `${hz} Hz`).toBeLessThan(-60);
    }
  });

  describe('close to sox on real VCTK 0.80 speech (48 kHz → 16 kHz)', () => {
    const wavs = (readdirSync(join(REAL, 'vctk-0.80'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.wav'))
      .sort();
    it('finds the clips', () => expect(wavs.length).toBeGreaterThan(0));

    for (const rel of wavs) {
      it(`${rel}: same length, difference ≥ 40 dB below the signal`, async () => {
        const file = join(REAL, 'vctk-0.80', rel);
        const { audio } = await decodeFile(file);
        expect(audio.sampleRate).toBe(48000);
        const out = execFileSync('sox', [file, '-t', 'f32', '-r', '16000', '-'], {
          stdio: ['ignore', 'pipe', 'ignore'],
          maxBuffer: 1 << 28,
        });
        const reference = new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
        const ours = resample(audio.samples, 48000, 16000);
        expect(ours.length).toBe(reference.length);
        const diff = ours.map((v, i) => v - reference[i]);
        // sox's band edge (−3 dB at 95 % of Nyquist) is close to ours (−6 dB at 95 %): the rest is the transition band.
        expect(db(innerRms(diff, 16000) / innerRms(reference, 16000))).toBeLessThan(-40);
      });
    }
  });
});
