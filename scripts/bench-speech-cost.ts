// What finding speech under noise costs in the default audit (issue #13 item 6), run by hand:
//   nice -n 19 npx tsx scripts/bench-speech-cost.ts [--hours 0.25]
// Tiles the real LJSpeech samples (22.05 kHz WAV) and measures process CPU time (not wall: the machine is shared) of
// the whole default clip pipeline per stage (scripts/bench/stages.ts), then, on the same decoded clips and features,
// of each way to find the speech: the default (RMS above 100 Hz, tracked floor, hangover), the opt-in spectral one
// (mel bands each over its own noise, same floor and hangover), and the energy-only method issue #13 started from (a relative
// threshold on the plain frame RMS). The 100 Hz high-pass runs inside the fused sample scan; its cost is bounded
// here by the same biquad run alone over the samples. Prints figures; asserts nothing.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeFile } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { butterworthHighPass, SPEECH_BAND_HZ } from '../src/dsp/speech-band.js';
import { computeFeatures, recordedLevels, type FrameFeatures } from '../src/features/frames.js';
import { findSpeech } from '../src/features/speech.js';
import { quantile } from '../src/util/stats.js';
import { buildTiledDataset } from './bench/dataset.js';
import { measureStages } from './bench/stages.js';

const { values: args } = parseArgs({ options: { hours: { type: 'string', default: '0.25' } } });
const samplesDir = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real', 'ljspeech');
const config = configSchema.parse({}).analyzers.silence;
const spectralConfig = { ...config, levels: 'spectral' as const };

const cpuSec = (t0: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
};

/** The energy-only method: frames within `relativeDb` of the speech level are speech; first and last such frame. */
function energyOnly(f: FrameFeatures): number {
  const level = quantile(recordedLevels(f.rmsDbSorted), config.speechPercentile);
  let first = -1;
  let last = -1;
  for (let i = 0; i < f.rmsDb.length; i++) {
    if (f.rmsDb[i] < level - config.relativeDb) continue;
    if (first < 0) first = i;
    last = i;
  }
  return last - first;
}

/** The speech-band high-pass alone over the samples: what it adds to the fused scan, at most. */
function highPassEnergy(samples: Float32Array, sampleRate: number): number {
  const { b0, b1, b2, a1, a2 } = butterworthHighPass(sampleRate, SPEECH_BAND_HZ);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0,
    sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    sum += y * y;
  }
  return sum;
}

const root = await mkdtemp(join(tmpdir(), 'bench-speech-cost-'));
try {
  const set = await buildTiledDataset(samplesDir, root, Number(args.hours) * 3600);
  console.log(`${set.wavs.length} LJSpeech WAV files, ${(set.audioSec / 3600).toFixed(3)} h of audio`);
  const stages = await measureStages(set.root);
  const total = stages.stages.reduce((s, x) => s + x.cpuSec, 0);
  const span = stages.stages.find((s) => s.name.startsWith('speech span'))!.cpuSec;

  const costs = { spectral: 0, broadband: 0, energyOnly: 0, highPass: 0 };
  let sink = 0;
  for (const wav of set.wavs) {
    const { audio } = await decodeFile(wav);
    const f = computeFeatures(audio);
    for (let rep = 0; rep < 3; rep++) {
      let t0 = process.cpuUsage();
      sink += findSpeech(f, audio.durationSec, spectralConfig).leadingSec;
      costs.spectral += cpuSec(t0) / 3;
      t0 = process.cpuUsage();
      sink += findSpeech(f, audio.durationSec, config).leadingSec;
      costs.broadband += cpuSec(t0) / 3;
      t0 = process.cpuUsage();
      sink += energyOnly(f);
      costs.energyOnly += cpuSec(t0) / 3;
      t0 = process.cpuUsage();
      sink += highPassEnergy(audio.samples, audio.sampleRate);
      costs.highPass += cpuSec(t0) / 3;
    }
  }
  const perHour = (s: number) => `${((s / set.audioSec) * 3600).toFixed(2)} CPU s per audio hour`;
  const share = (s: number) => `${((100 * s) / total).toFixed(1)} % of the default audit`;
  console.log(`\ndefault clip pipeline (decode, features, speech span, every analyzer): ${perHour(total)}`);
  console.log(`  of which the speech span in that run: ${perHour(span)} (${share(span)})`);
  console.log('speech finding alone, same clips and features (mean of 3 runs each):');
  console.log(
    `  spectral (mel bands over their noise, floor, hangover): ${perHour(costs.spectral)} (${share(costs.spectral)})`,
  );
  console.log(`  default (RMS above 100 Hz, floor, hangover): ${perHour(costs.broadband)} (${share(costs.broadband)})`);
  console.log(`  energy only (relative threshold on RMS): ${perHour(costs.energyOnly)} (${share(costs.energyOnly)})`);
  console.log(`  100 Hz high-pass run alone over the samples: ${perHour(costs.highPass)} (${share(costs.highPass)})`);
  // Throughput is audio per CPU second: taking `added` out of `total` raises it by added / (total − added), so with
  // it the audit is slower by added / total.
  for (const [name, cost] of [
    ['default', costs.broadband],
    ['spectral', costs.spectral],
  ] as const) {
    const added = cost + costs.highPass - costs.energyOnly;
    console.log(
      `${name} over energy only (its speech finding + the high-pass, an upper bound): throughput falls by at most ` +
        `${((100 * added) / total).toFixed(1)} % (target ≤ 10 %)`,
    );
  }
  if (sink === Infinity) console.log('');
} finally {
  await rm(root, { recursive: true, force: true });
}
