import Meyda from 'meyda';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFeatures, frameSizeFor } from '../src/features/frames.js';
import { spectralFlatness } from '../src/features/spectral.js';
import { decode, gaussian } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

const meydaFlatness = (
  Meyda as unknown as { featureExtractors: { spectralFlatness: (a: { ampSpectrum: Float64Array }) => number } }
).featureExtractors.spectralFlatness;

function tone(freq: number, sampleRate: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return x;
}

const asAudio = (samples: Float32Array, sampleRate: number) => ({
  samples,
  sampleRate,
  channels: 1,
  bitDepth: 16,
  codec: 'pcm_s16le',
  durationSec: samples.length / sampleRate,
});

describe('frame features', () => {
  it('one frame per 10 ms hop, windows of a power of two near 20–32 ms', () => {
    expect(frameSizeFor(16000)).toBe(512);
    expect(frameSizeFor(22050)).toBe(512);
    expect(frameSizeFor(48000)).toBe(1024);
    const f = computeFeatures(asAudio(new Float32Array(22050), 22050));
    expect(f.hopSize).toBe(221);
    expect(f.frameCount).toBe(Math.ceil(22050 / 221));
  });

  it('a 1 kHz tone: centroid near 1 kHz, flat spectrum near 0, RMS −9 dBFS', () => {
    const f = computeFeatures(asAudio(tone(1000, 22050, 1), 22050));
    const mid = f.frameCount >> 1;
    const smid = mid >> 1;
    expect(f.spectralCentroidHz.length).toBe(Math.ceil(f.frameCount / f.spectralStride));
    expect(f.spectralCentroidHz[smid]).toBeGreaterThan(950);
    expect(f.spectralCentroidHz[smid]).toBeLessThan(1100);
    expect(f.spectralFlatness[smid]).toBeLessThan(0.05);
    expect(f.rmsDb[mid]).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
    const peakBin = f.longTermSpectrumDb.indexOf(0);
    expect(Math.abs((peakBin * 22050) / f.frameSize - 1000)).toBeLessThan(22050 / f.frameSize);
  });

  it('white noise: flatness high, zero-crossing rate near 0.5', () => {
    const rand = gaussian(3);
    const x = new Float32Array(22050).map(() => 0.1 * rand());
    const f = computeFeatures(asAudio(x, 22050));
    const mid = f.frameCount >> 1;
    expect(f.spectralFlatness[mid >> 1]).toBeGreaterThan(0.4);
    expect(f.zcr[mid]).toBeGreaterThan(0.4);
    expect(f.zcr[mid]).toBeLessThan(0.6);
  });

  it("flatness (one log per 8 bins) equals meyda's per-bin definition on real speech frames", async () => {
    const audio = await decode(join(REAL, 'ljspeech', 'wavs', 'LJ001-0001.wav'));
    const rand = gaussian(9);
    for (let trial = 0; trial < 20; trial++) {
      const amp = new Float64Array(257).map(
        (_, k) => Math.abs(audio.samples[(trial * 997 + k * 13) % audio.samples.length]) + 1e-9 * rand() ** 2,
      );
      expect(spectralFlatness(amp)).toBeCloseTo(meydaFlatness({ ampSpectrum: amp }), 9);
    }
  });
});
