import { describe, expect, it } from 'vitest';
import { truePeak } from '../src/dsp/true-peak.js';
import { frameSizeFor } from '../src/features/frames.js';
import { scanSamples, type SampleScan } from '../src/features/scan.js';
import { realClips } from '../scripts/bench/real-clips.js';
import { gaussian } from './helpers/audio.js';
import { voiceTone } from './helpers/prosody-cases.js';
import { scanSamplesJs } from './helpers/scan-oracle.js';
import { truePeakAroundJs, truePeakJs } from './helpers/true-peak-oracle.js';

// The sample sweep and the true peak in WebAssembly (src/kernels/assembly/sweep.ts, true-peak.ts) against the
// JavaScript they replaced (test/helpers): every sum keeps its order and precision, so they agree byte for byte.

const RATES = [16000, 22050, 24000, 44100, 48000];

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Same bits, or (where a NaN sample makes NaN sums, whose payload no one reads) the same values. */
function same(a: number | ArrayBufferView, b: number | ArrayBufferView, exactNaN: boolean): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (exactNaN) return bytes(a).equals(bytes(b));
  const x = a as Float64Array;
  const y = b as Float64Array;
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

/** Scans `samples` both ways and throws, naming the field, at the first difference; returns the kernel's scan. */
function expectSameScan(samples: Float32Array, sampleRate: number, name: string, exactNaN = true): SampleScan {
  const hop = Math.round(sampleRate * 0.01);
  const size = frameSizeFor(sampleRate);
  const js = scanSamplesJs(samples, sampleRate, hop, size, true);
  const wasm = scanSamples(samples, sampleRate, hop, size, true);
  const pairs: [string, number | ArrayBufferView, number | ArrayBufferView][] = [
    ['count', js.stats.count, wasm.stats.count],
    ['sum', js.stats.sum, wasm.stats.sum],
    ['sumSquares', js.stats.sumSquares, wasm.stats.sumSquares],
    ['nonZero', js.stats.nonZero, wasm.stats.nonZero],
    ['loud', js.stats.loud, wasm.stats.loud],
    ['loudThreshold', js.stats.loudThreshold, wasm.stats.loudThreshold],
    ['bandSumAbs', js.stats.bandSumAbs, wasm.stats.bandSumAbs],
    ['bandSumLogAbs', js.stats.bandSumLogAbs, wasm.stats.bandSumLogAbs],
    ['truePeak', truePeakAroundJs(samples, js.stats.loud), wasm.stats.truePeak],
    ['hop energy', js.hops.energy, wasm.hops.energy],
    ['hop length', js.hops.length, wasm.hops.length],
    ['blockPeak', js.blockPeak, wasm.blockPeak],
    ['frameEnergy', js.frameEnergy, wasm.frameEnergy],
    ['frameBandEnergy', js.frameBandEnergy, wasm.frameBandEnergy],
    ['frameCrossings', js.frameCrossings!, wasm.frameCrossings!],
    ['samplePeak', js.samplePeak, wasm.samplePeak],
  ];
  for (const [field, a, b] of pairs) if (!same(a, b, exactNaN)) throw new Error(`${name}: ${field} differs`);
  return wasm;
}

function noise(n: number, level: number, seed = 7): Float32Array {
  const rand = gaussian(seed);
  return Float32Array.from({ length: n }, () => level * rand());
}

/** Synthetic clips that reach each branch of the sweep: digital silence, clipping, DC, the product's range. */
function cases(sampleRate: number): [string, Float32Array][] {
  const tone = voiceTone({ sampleRate, seconds: 1.1, f0: () => 140 }).samples;
  const square = Float32Array.from({ length: Math.round(0.7 * sampleRate) }, (_, i) => ((i >> 5) & 1 ? 1 : -1));
  const gapped = voiceTone({ sampleRate, seconds: 1.5, f0: (t) => 100 + 80 * t }).samples;
  gapped.fill(0, 0, 3000);
  gapped.fill(0, 9000, 15000);
  gapped.fill(0, gapped.length - 777);
  const edges = noise(Math.round(0.3 * sampleRate), 0.05);
  edges[0] = 0.9;
  edges[edges.length - 1] = -0.95;
  edges[5] = 0.92;
  return [
    ['tone', tone],
    ['noise', noise(Math.round(1.3 * sampleRate), 0.2)],
    ['silence', new Float32Array(sampleRate)],
    ['full-scale square', square],
    ['DC', new Float32Array(Math.round(0.9 * sampleRate)).fill(0.5)],
    ['odd length', voiceTone({ sampleRate, seconds: 1.234567, f0: () => 210 }).samples],
    ['gaps of digital silence', gapped],
    ['loud samples at both ends', edges],
    // |band| ~1e-7 a sample: the running product leaves its range every ~20 samples; ~1e35: every ~5.
    ['very quiet noise', noise(sampleRate, 1e-7, 3)],
    ['float samples far over full scale', noise(Math.round(0.2 * sampleRate), 1e35, 5)],
    ['shorter than a block', tone.subarray(0, 37)],
    ['shorter than a frame, longer than a block', tone.subarray(0, Math.round(0.015 * sampleRate))],
    ['one sample', Float32Array.of(0.5)],
    ['two samples', Float32Array.of(-0.25, 0.75)],
    ['empty', new Float32Array(0)],
  ];
}

describe('sample sweep kernel', () => {
  it('scans every real sample clip as the JavaScript did, byte for byte, true peak included', async () => {
    const clips = await realClips();
    let loud = 0;
    for (const [i, audio] of clips.entries())
      loud += expectSameScan(audio.samples, audio.sampleRate, `clip ${i}`).stats.loud.length;
    expect(clips.length).toBeGreaterThanOrEqual(20);
    expect(loud).toBeGreaterThan(1000);
  });

  it('scans tones, noise, silence, clipping, DC, odd and tiny lengths as the JavaScript did, at 16–48 kHz', () => {
    for (const sampleRate of RATES) {
      for (const [name, samples] of cases(sampleRate)) {
        const scan = expectSameScan(samples, sampleRate, `${name} at ${sampleRate} Hz`);
        if (name === 'full-scale square') {
          // Every sample is a candidate, and the interpolation overshoots full scale between the edges.
          expect(scan.stats.loud.length).toBe(samples.length);
          expect(scan.stats.truePeak).toBeGreaterThan(1);
        }
        if (name === 'silence') expect(scan.stats.nonZero).toBe(0);
      }
    }
  });

  it('carries NaN and infinite samples through as the JavaScript did', () => {
    const samples = voiceTone({ sampleRate: 16000, seconds: 0.5, f0: () => 120 }).samples;
    samples[1234] = NaN;
    samples[4321] = Infinity;
    expectSameScan(samples, 16000, 'NaN and Infinity', false);
    const early = noise(4000, 0.1);
    early[3] = NaN;
    expectSameScan(early, 16000, 'a NaN first', false);
  });

  it('scans a clip the same after a longer one, and after one long enough to renew the memory', () => {
    const short = voiceTone({ seconds: 1, f0: () => 140 }).samples;
    const alone = scanSamples(short, 22050, 221, 512);
    scanSamples(noise(6 * 22050, 0.3), 22050, 221, 512);
    expect(scanSamples(short, 22050, 221, 512)).toEqual(alone);
    // 20 M samples (80 MB) is past the memory a thread keeps between clips.
    scanSamples(new Float32Array(20_000_000), 48000, 480, 1024);
    expect(scanSamples(short, 22050, 221, 512)).toEqual(alone);
  });
});

describe('true-peak kernel', () => {
  it('finds the JavaScript’s true peak of every clip and case, with every sample a candidate too', async () => {
    const signals = [
      ...(await realClips()).slice(0, 6).map((a) => a.samples),
      ...cases(22050).map(([, samples]) => samples),
    ];
    for (const [i, samples] of signals.entries()) {
      expect(Object.is(truePeak(samples), truePeakJs(samples)), `signal ${i}`).toBe(true);
      // 400 dB: every non-zero sample is a candidate, edges of the clip included.
      expect(Object.is(truePeak(samples, 400), truePeakJs(samples, 400)), `signal ${i}, all`).toBe(true);
    }
  });
});
