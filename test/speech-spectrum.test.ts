import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecodedAudio } from '../src/types.js';
import { pinkNoise, whiteNoise } from '../scripts/bench/noise.js';
import { analyze, decode } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

// Soft word endings under broadband noise, on real LibriTTS clips whose speech edges were read off spectrograms
// (`sox <clip> -n remix 1 rate 16k trim 0 0.6 spectrogram -x 600 -z 80`, and the last 0.6 s): 8463_294825_000043
// speaks from 0.06 s to 3.13 s (the last vowel decays in creaky pulses to 3.13 s). Padded with 0.8 s of digital
// silence each side and mixed with noise 15 dB below the clip's mean power, as scripts/bench-silence.ts does.
// (5639_40744_000000_000002, whose last word is some 25 dB below its speech, still loses that word at 15 dB.)
const LIBRITTS = join(REAL, 'libritts', 'test-clean');
const CLIPS: [path: string, start: number, end: number][] = [['8463/294825/8463_294825_000043_000000.wav', 0.06, 3.13]];
const PAD_SEC = 0.8;
const SPECTRAL = { analyzers: { silence: { levels: 'spectral' as const } } };

const power = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0) / x.length;

async function noisy(path: string, kind: 'white' | 'pink', seed: number): Promise<DecodedAudio> {
  const clean = await decode(join(LIBRITTS, path));
  const pad = Math.round(PAD_SEC * clean.sampleRate);
  const x = new Float32Array(clean.samples.length + 2 * pad);
  x.set(clean.samples, pad);
  const noise = kind === 'white' ? whiteNoise(x.length, seed) : pinkNoise(x.length, seed);
  const g = Math.sqrt(power(clean.samples) / (power(noise) * 10 ** 1.5));
  for (let i = 0; i < x.length; i++) x[i] += g * noise[i];
  return { ...clean, samples: x, durationSec: x.length / clean.sampleRate };
}

describe('speech edges under white and pink noise at 15 dB (mel bands, each over its own noise)', () => {
  it.each(CLIPS)('%s: both edges within 0.1 s of the spectrogram', async (path, start, end) => {
    for (const kind of ['white', 'pink'] as const) {
      const audio = await noisy(path, kind, 11);
      const { metrics } = analyze(audio, 'a test sentence', SPECTRAL);
      expect(Math.abs(metrics['silence.leading_sec'] - (PAD_SEC + start))).toBeLessThanOrEqual(0.1);
      expect(Math.abs(audio.durationSec - metrics['silence.trailing_sec'] - (PAD_SEC + end))).toBeLessThanOrEqual(0.1);
    }
  });

  it('the broadband RMS alone loses the soft ending of 8463_294825_000043 under the same white noise; the default keeps it through the spectral tail', async () => {
    const [path, , end] = CLIPS[0];
    const audio = await noisy(path, 'white', 11);
    const lastSec = (m: Record<string, number>) => audio.durationSec - m['silence.trailing_sec'];
    const alone = analyze(audio, 'a test sentence', { analyzers: { silence: { tailFrames: 10_000 } } }).metrics;
    expect(lastSec(alone)).toBeLessThan(PAD_SEC + end - 0.1);
    expect(Math.abs(lastSec(analyze(audio).metrics) - (PAD_SEC + end))).toBeLessThanOrEqual(0.1);
  });
});
