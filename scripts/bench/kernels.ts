// The WebAssembly kernels against the JavaScript they replaced (kept in test/helpers as the oracle), on the real
// fixture clips: whether the results are bit-identical, and CPU seconds per audio hour of each, timed
// alternately (A, B, A, B) so that a loaded machine slows both alike. `frames` is the whole spectral frame loop
// (the FFT kernel per frame with the JavaScript around it, against the loop in WebAssembly); `sweep` the one pass
// over the samples with the true peak.
//   nice -n 5 npx tsx scripts/bench/kernels.ts [--rounds 3] [--reps 20] [--only pitch,spectra,frames,sweep]
// The kernel's time includes copying the clip's samples into the WebAssembly memory.

import { parseArgs } from 'node:util';
import { frameSpectra, spectrumAt } from '../../src/features/fft.js';
import { computeFeatures, frameSizeFor } from '../../src/features/frames.js';
import { loadClip } from '../../src/kernels/wasm.js';
import { scanSamples } from '../../src/features/scan.js';
import { scanSamplesJs } from '../../test/helpers/scan-oracle.js';
import { truePeakAroundJs } from '../../test/helpers/true-peak-oracle.js';
import * as oracle from '../../test/helpers/fft-oracle.js';
import { trackPitch, type PitchInput } from '../../src/features/pitch.js';
import { CEPSTRUM_SIZE, MEL_BANDS } from '../../src/features/cepstrum.js';
import { spectralFrames, type Spectra } from '../../src/features/spectra.js';
import { trackPitchJs } from '../../test/helpers/pitch-oracle.js';
import { spectralFramesJs } from '../../test/helpers/spectra-oracle.js';
import { realClips } from './real-clips.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '20' },
    only: { type: 'string', default: 'pitch,spectra,frames,sweep' },
  },
});
const rounds = Number(args.rounds);
const reps = Number(args.reps);

const clips = await realClips();
const f0 = new Map<Float32Array, Float32Array>();
const inputs: PitchInput[] = clips.map((a) => {
  const f = computeFeatures(a);
  f0.set(a.samples, f.pitch.f0Hz);
  return { samples: a.samples, sampleRate: a.sampleRate, hopSize: f.hopSize, stride: f.spectralStride, rmsDb: f.rmsDb };
});
const hours = clips.reduce((s, a) => s + a.samples.length / a.sampleRate, 0) / 3600;

let differing = 0;
let frames = 0;
for (const input of inputs) {
  const a = trackPitchJs(input);
  const b = trackPitch(input);
  frames += a.f0Hz.length;
  for (let p = 0; p < a.f0Hz.length; p++) {
    if (!Object.is(a.f0Hz[p], b.f0Hz[p]) || !Object.is(a.aperiodicity[p], b.aperiodicity[p])) differing++;
  }
}
console.log(
  `${clips.length} clips, ${(hours * 3600).toFixed(0)} s of audio; pitch frames differing: ${differing} of ${frames}`,
);

// The sweep's results both ways, field by field (every number, every array byte for byte).
let sweepDiffering = 0;
for (const input of inputs) {
  const size = frameSizeFor(input.sampleRate);
  const a = scanSamplesJs(input.samples, input.sampleRate, input.hopSize, size);
  const b = scanSamples(input.samples, input.sampleRate, input.hopSize, size);
  const tp = truePeakAroundJs(input.samples, a.stats.loud);
  const arrays = [
    [a.stats.loud, b.stats.loud],
    [a.hops.energy, b.hops.energy],
    [a.hops.length, b.hops.length],
    [a.blockPeak, b.blockPeak],
    [a.frameEnergy, b.frameEnergy],
    [a.frameBandEnergy, b.frameBandEnergy],
  ];
  const numbers = [
    [a.stats.sum, b.stats.sum],
    [a.stats.sumSquares, b.stats.sumSquares],
    [a.stats.nonZero, b.stats.nonZero],
    [a.stats.bandSumAbs, b.stats.bandSumAbs],
    [a.stats.bandSumLogAbs, b.stats.bandSumLogAbs],
    [a.samplePeak, b.samplePeak],
    [tp, b.stats.truePeak],
  ];
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (arrays.some(([x, y]) => !bytes(x).equals(bytes(y))) || numbers.some(([x, y]) => !Object.is(x, y)))
    sweepDiffering++;
}
console.log(`sweep and true peak: clips differing ${sweepDiffering} of ${inputs.length}`);

function cpuPerHour(run: (input: PitchInput) => unknown): number {
  const t0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) for (const input of inputs) run(input);
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1e6 / (reps * hours);
}

// The spectra as computeFeatures takes them: a frame every 20 ms, centred on its instant, edges zero-padded.
function spectraJs(input: PitchInput): void {
  const size = frameSizeFor(input.sampleRate);
  const f = oracle.realFft(size);
  const power = new Float64Array(size / 2 + 1);
  for (let at = -(size >> 1); at < input.samples.length; at += 2 * input.hopSize)
    oracle.powerSpectrum(f, input.samples, at, power);
}
function spectraWasm(input: PitchInput): void {
  const size = frameSizeFor(input.sampleRate);
  const spectra = frameSpectra(loadClip(input.samples), size);
  for (let at = -(size >> 1); at < input.samples.length; at += 2 * input.hopSize) spectrumAt(spectra, at);
}

// The whole spectral frame loop as computeFeatures runs it: spectra, long-term spectrum, mel bands, cepstra.
function framesOf(input: PitchInput, js: boolean): Spectra {
  const size = frameSizeFor(input.sampleRate);
  const frameCount = Math.max(1, Math.ceil(input.samples.length / input.hopSize));
  const count = Math.ceil(frameCount / input.stride);
  const out = {
    ltPower: new Float64Array(size / 2 + 1),
    cepstrum: new Float32Array(count * CEPSTRUM_SIZE),
    melPower: new Float32Array(count * MEL_BANDS),
  };
  const clip = loadClip(input.samples);
  const f0Hz = f0.get(input.samples) ?? new Float32Array(count);
  if (js) spectralFramesJs(clip, input.sampleRate, size, input.hopSize, frameCount, f0Hz, out);
  else
    spectralFrames(
      clip,
      { sampleRate: input.sampleRate, frameSize: size, step: input.stride * input.hopSize, f0Hz },
      out,
    );
  return out;
}
let framesDiffering = 0;
for (const input of inputs) {
  const [a, b] = [framesOf(input, true), framesOf(input, false)];
  for (const k of ['ltPower', 'melPower', 'cepstrum'] as const) {
    if (!Buffer.from(a[k].buffer).equals(Buffer.from(b[k].buffer))) framesDiffering++;
  }
}
console.log(`spectral frame loop: clips whose outputs differ: ${framesDiffering} of ${inputs.length}`);
// The sample sweep as computeFeatures runs it, with the true peak around its loud samples (the kernels' time
// includes the copy into their memory).
function sweepJs(input: PitchInput): void {
  const scan = scanSamplesJs(input.samples, input.sampleRate, input.hopSize, frameSizeFor(input.sampleRate));
  truePeakAroundJs(input.samples, scan.stats.loud);
}
function sweepWasm(input: PitchInput): void {
  scanSamples(input.samples, input.sampleRate, input.hopSize, frameSizeFor(input.sampleRate));
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const stages: [string, (input: PitchInput) => unknown, (input: PitchInput) => unknown][] = [
  ['pitch', trackPitchJs, trackPitch],
  ['spectra', spectraJs, spectraWasm],
  ['frames', (input) => framesOf(input, true), (input) => framesOf(input, false)],
  ['sweep', sweepJs, sweepWasm],
];
for (const [name, js, wasm] of stages.filter(([name]) => args.only.split(',').includes(name))) {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(cpuPerHour(js));
    b.push(cpuPerHour(wasm));
    console.log(`${name} round ${r + 1}: JS ${a[r].toFixed(3)}, WASM ${b[r].toFixed(3)} CPU s per audio hour`);
  }
  const [ma, mb] = [median(a), median(b)];
  console.log(
    `${name} median: JS ${ma.toFixed(3)}, WASM ${mb.toFixed(3)} CPU s per audio hour (${(ma / mb).toFixed(2)}×)`,
  );
}
