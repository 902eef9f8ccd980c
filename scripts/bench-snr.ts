// SNR accuracy: real clean clips mixed with white, pink and babble noise at known SNRs; prints each
// estimator's mean estimate per true SNR, its mean absolute error over 5–25 dB and whether it is
// monotone. Run: npx tsx scripts/bench-snr.ts
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { speechFrames } from '../src/features/speech.js';
import { decodeFile } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { snrEstimate } from '../src/dsp/snr.js';
import { computeFeatures } from '../src/features/frames.js';
import type { DecodedAudio } from '../src/types.js';
import { babble, mix, pinkNoise, whiteNoise } from './bench/noise.js';

const SHARED = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real');
const TRUE_SNRS = [0, 5, 10, 15, 20, 25, 30];
const SCORED = (snr: number) => snr >= 5 && snr <= 25;
const silenceConfig = configSchema.parse({}).analyzers.silence;

function audioFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? audioFiles(join(dir, e.name)) : /\.(wav|flac)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

async function loadClips(): Promise<{ name: string; audio: DecodedAudio }[]> {
  const clips = [];
  for (const f of audioFiles(SHARED)) {
    try {
      clips.push({ name: f.slice(SHARED.length + 1), audio: (await decodeFile(f)).audio });
    } catch {
      // A codec not available yet: the clip is left out and the count below says so.
    }
  }
  return clips;
}

type Estimates = Record<string, number>;

function estimate(samples: Float32Array, sampleRate: number): Estimates {
  const audio = {
    samples,
    sampleRate,
    channels: 1,
    bitDepth: 16,
    codec: 'mix',
    durationSec: samples.length / sampleRate,
  };
  const features = computeFeatures(audio);
  const { threshold } = speechFrames(features, silenceConfig);
  return snrEstimate(features, threshold);
}

const clips = await loadClips();
console.log(
  `${clips.length} real clips (${[...new Set(clips.map((c) => c.audio.sampleRate))].join(', ')} Hz); noise: white, pink, babble (the other clips of the same rate, summed)`,
);
const table = new Map<string, Map<number, number[]>>(); // "type/estimator" → true SNR → estimates
for (const [i, clip] of clips.entries()) {
  const n = clip.audio.samples.length;
  const others = clips
    .filter((c, j) => j !== i && c.audio.sampleRate === clip.audio.sampleRate)
    .map((c) => c.audio.samples);
  const noises: Record<string, Float32Array> = { white: whiteNoise(n, 11 + i), pink: pinkNoise(n, 23 + i) };
  if (others.length >= 2) noises.babble = babble(n, others.slice(0, 6), 37 + i);
  for (const [kind, noise] of Object.entries(noises)) {
    for (const snr of TRUE_SNRS) {
      const est = estimate(mix(clip.audio.samples, noise, snr), clip.audio.sampleRate);
      for (const [name, value] of Object.entries(est)) {
        const key = `${kind}/${name}`;
        if (!table.has(key)) table.set(key, new Map());
        const row = table.get(key)!;
        row.set(snr, [...(row.get(snr) ?? []), value]);
      }
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `\nmean estimate (dB) per true SNR; MAE over ${TRUE_SNRS.filter(SCORED).join('/')} dB; monotone = mean rises with true SNR`,
);
console.log(
  ['noise/estimator'.padEnd(20), ...TRUE_SNRS.map((s) => `${s} dB`.padStart(7)), '   MAE', ' monotone'].join(' '),
);
const verdicts: string[] = [];
for (const [key, row] of table) {
  const means = TRUE_SNRS.map((s) => mean(row.get(s) ?? [NaN]));
  const errors = TRUE_SNRS.filter(SCORED).flatMap((s) => (row.get(s) ?? []).map((e) => Math.abs(e - s)));
  const mae = mean(errors);
  const monotone = means.every((m, k) => k === 0 || m > means[k - 1]);
  console.log(
    [
      key.padEnd(20),
      ...means.map((m) => m.toFixed(1).padStart(7)),
      mae.toFixed(2).padStart(6),
      monotone ? '      yes' : '       NO',
    ].join(' '),
  );
  if (key.endsWith('/reported'))
    verdicts.push(
      `${key}: MAE ${mae.toFixed(2)} dB ${mae <= 3 ? '≤' : '>'} 3, ${monotone ? 'monotone' : 'NOT monotone'}`,
    );
}
console.log('\n' + verdicts.join('\n'));
