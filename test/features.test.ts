import FFT from 'fft.js';
import Meyda from 'meyda';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatedLoudness, integratedLoudness } from '../src/dsp/loudness.js';
import { truePeakThreshold } from '../src/dsp/true-peak.js';
import { powerSpectrum, realFft } from '../src/features/fft.js';
import { computeFeatures, frameSizeFor } from '../src/features/frames.js';
import { frameShape, spectralCentroidBin, spectralFlatness } from '../src/features/spectral.js';
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
    const f = computeFeatures(asAudio(tone(1000, 22050, 1), 22050), { shape: true });
    const mid = f.frameCount >> 1;
    const smid = mid >> 1;
    expect(f.spectralCentroidHz!.length).toBe(Math.ceil(f.frameCount / f.spectralStride));
    expect(f.spectralCentroidHz![smid]).toBeGreaterThan(950);
    expect(f.spectralCentroidHz![smid]).toBeLessThan(1100);
    expect(f.spectralFlatness![smid]).toBeLessThan(0.05);
    expect(f.rmsDb[mid]).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
    const peakBin = f.longTermSpectrumDb.indexOf(0);
    expect(Math.abs((peakBin * 22050) / f.frameSize - 1000)).toBeLessThan(22050 / f.frameSize);
  });

  it('white noise: flatness high, zero-crossing rate near 0.5', () => {
    const rand = gaussian(3);
    const x = new Float32Array(22050).map(() => 0.1 * rand());
    const f = computeFeatures(asAudio(x, 22050), { shape: true });
    const mid = f.frameCount >> 1;
    expect(f.spectralFlatness![mid >> 1]).toBeGreaterThan(0.4);
    expect(f.zcr![mid]).toBeGreaterThan(0.4);
    expect(f.zcr![mid]).toBeLessThan(0.6);
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

describe('the spectra and the one pass over the samples', () => {
  it('power spectra equal fft.js’s at every size, inside the clip and across its edges', async () => {
    const { samples } = await decode(join(REAL, 'ljspeech', 'wavs', 'LJ001-0001.wav'));
    for (const size of [8, 16, 512, 1024, 2048]) {
      const f = realFft(size);
      const ref = new FFT(size);
      const out = ref.createComplexArray() as number[];
      const input = new Float64Array(size);
      const power = new Float64Array(size / 2 + 1);
      for (const start of [-size / 2, -1, 0, 12_345, samples.length - size, samples.length - (size >> 2)]) {
        powerSpectrum(f, samples, start, power);
        for (let i = 0; i < size; i++) {
          const j = start + i;
          input[i] = j >= 0 && j < samples.length ? samples[j] * f.window[i] : 0;
        }
        ref.realTransform(out, input);
        let peak = 0;
        for (let k = 0; k <= size / 2; k++) peak = Math.max(peak, out[2 * k] ** 2 + out[2 * k + 1] ** 2);
        for (let k = 0; k <= size / 2; k++) {
          const expected = out[2 * k] ** 2 + out[2 * k + 1] ** 2;
          expect(Math.abs(power[k] - expected)).toBeLessThanOrEqual(1e-12 * peak);
        }
      }
    }
  });

  it('centroid and flatness of a frame are meyda’s, from the amplitudes of its power spectrum', async () => {
    const { samples } = await decode(join(REAL, 'ljspeech', 'wavs', 'LJ001-0002.wav'));
    const f = realFft(512);
    const power = new Float64Array(257);
    const shape = new Float64Array(2);
    const centroid = (Meyda as unknown as { featureExtractors: Record<string, (a: object) => number> })
      .featureExtractors.spectralCentroid;
    for (const start of [0, 5000, 20_000, 40_000]) {
      powerSpectrum(f, samples, start, power);
      frameShape(power, shape);
      const amp = power.map(Math.sqrt);
      expect(shape[0]).toBe(spectralCentroidBin(amp));
      expect(shape[0]).toBeCloseTo(centroid({ ampSpectrum: amp }), 9);
      expect(shape[1]).toBe(spectralFlatness(amp));
    }
  });

  it('the pass’s sums, loud samples and loudness hops equal plain loops over the samples', async () => {
    for (const file of ['ljspeech/wavs/LJ001-0003.wav', 'vctk/wav48_silence_trimmed/p225/p225_001_mic1.flac']) {
      const audio = await decode(join(REAL, file));
      const x = audio.samples;
      const f = computeFeatures(audio);
      let sum = 0;
      let sumSq = 0;
      let peak = 0;
      for (const v of x) {
        sum += v;
        sumSq += v * v;
        peak = Math.max(peak, Math.abs(v));
      }
      expect(f.stats.sum).toBe(sum);
      expect(f.stats.sumSquares).toBe(sumSq);
      expect(f.samplePeak).toBe(peak);
      const threshold = truePeakThreshold(peak);
      const loud = [...x.keys()].filter((i) => Math.abs(x[i]) >= threshold);
      expect(Array.from(f.stats.loud)).toEqual(loud);
      expect(gatedLoudness(f.loudnessHops)).toEqual(integratedLoudness(x, audio.sampleRate));
    }
  });

  it('frame energies and zero crossings equal sums over each window', () => {
    const rand = gaussian(11);
    const x = new Float32Array(4000).map((_, i) => (i % 500 < 50 ? 0 : 0.3 * rand()));
    const f = computeFeatures(asAudio(x, 16000), { shape: true });
    const half = f.frameSize >> 1;
    for (let k = 0; k < f.frameCount; k++) {
      const lo = Math.max(0, k * f.hopSize - half);
      const hi = Math.min(x.length, k * f.hopSize - half + f.frameSize);
      let energy = 0;
      let crossings = 0;
      for (let i = lo; i < hi; i++) {
        energy += x[i] * x[i];
        if (i > lo && x[i] >= 0 !== x[i - 1] >= 0) crossings++;
      }
      expect(f.rmsDb[k]).toBeCloseTo(Math.max(-120, 10 * Math.log10(energy / (hi - lo))), 4);
      expect(f.zcr![k]).toBeCloseTo(crossings / (hi - lo), 6);
    }
  });

  it('leaving out centroid, flatness and zero crossings changes no other feature', async () => {
    const audio = await decode(join(REAL, 'ljspeech/wavs/LJ001-0003.wav'));
    const { zcr, spectralCentroidHz, spectralFlatness, ...shaped } = computeFeatures(audio, { shape: true });
    const plain = computeFeatures(audio);
    expect([zcr?.length, spectralCentroidHz?.length, spectralFlatness?.length]).toEqual([
      plain.frameCount,
      plain.cepstrum.length / 12,
      plain.cepstrum.length / 12,
    ]);
    expect([plain.zcr, plain.spectralCentroidHz, plain.spectralFlatness]).toEqual([undefined, undefined, undefined]);
    expect(plain).toEqual(shaped);
  });
});
