import { describe, expect, it } from 'vitest';
import { CEPSTRUM_SIZE, MEL_BANDS } from '../src/features/cepstrum.js';
import { computeFeatures, frameSizeFor } from '../src/features/frames.js';
import { spectralFrames, type Spectra } from '../src/features/spectra.js';
import { loadClip } from '../src/kernels/wasm.js';
import type { DecodedAudio } from '../src/types.js';
import { realClips } from '../scripts/bench/real-clips.js';
import { gaussianNoise, pcmAudio } from './helpers/audio.js';
import { voiceTone } from './helpers/prosody-cases.js';
import { spectralFramesJs } from './helpers/spectra-oracle.js';

// The spectral frame loop in WebAssembly (src/kernels/assembly/spectra.ts) against the JavaScript it replaced
// (test/helpers/spectra-oracle.ts): every sum keeps its order and precision, so the tolerance is zero, bit for bit.

const STRIDE = 2;

function run(samples: Float32Array, sampleRate: number, f0Hz: Float32Array, shaped: boolean, js: boolean): Spectra {
  const frameSize = frameSizeFor(sampleRate);
  const hopSize = Math.max(1, Math.round(sampleRate * 0.01));
  const frameCount = samples.length === 0 ? 0 : Math.max(1, Math.ceil(samples.length / hopSize));
  const count = Math.ceil(frameCount / STRIDE);
  const out: Spectra = {
    ltPower: new Float64Array(frameSize / 2 + 1),
    cepstrum: new Float32Array(count * CEPSTRUM_SIZE),
    melPower: new Float32Array(count * MEL_BANDS),
    centroid: shaped ? new Float32Array(count) : undefined,
    flatness: shaped ? new Float32Array(count) : undefined,
  };
  const clip = loadClip(samples);
  if (js) spectralFramesJs(clip, sampleRate, frameSize, hopSize, frameCount, f0Hz, out);
  else spectralFrames(clip, { sampleRate, frameSize, step: STRIDE * hopSize, f0Hz }, out);
  return out;
}

const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Compares the kernel's spectra with the oracle's, field by field; the number of voiced frames compared. */
function expectSame(audio: DecodedAudio, f0Hz: Float32Array, name: string, shaped = false): number {
  const { samples, sampleRate } = audio;
  const wasm = run(samples, sampleRate, f0Hz, shaped, false);
  const js = run(samples, sampleRate, f0Hz, shaped, true);
  for (const field of ['ltPower', 'melPower', 'cepstrum', 'centroid', 'flatness'] as const) {
    const [a, b] = [wasm[field], js[field]];
    if (a === undefined || b === undefined) expect(a, `${name}: ${field}`).toBe(b);
    else expect(bytes(a).equals(bytes(b)), `${name}: ${field}`).toBe(true);
  }
  return f0Hz.reduce((n, f) => n + (f > 0 ? 1 : 0), 0);
}

const audioOf = pcmAudio;
const noise = (seconds: number, sampleRate: number, level: number) => gaussianNoise(seconds, sampleRate, level, 11);

/** Every spectral frame voiced, so that every frame's cepstrum is computed (silence's logs at the floor too). */
const allVoiced = (audio: DecodedAudio) => new Float32Array(computeFeatures(audio).pitch.f0Hz.length).fill(100);

describe('spectral frame kernels', () => {
  it('give every real sample clip the JavaScript’s long-term spectrum, mel energies and cepstra, bit for bit', async () => {
    let voiced = 0;
    for (const [i, audio] of (await realClips()).entries()) {
      voiced += expectSame(audio, computeFeatures(audio).pitch.f0Hz, `clip ${i}`);
      expectSame(audio, allVoiced(audio), `clip ${i}, every frame voiced`);
    }
    expect(voiced).toBeGreaterThan(1000);
  });

  it('give the real clips’ spectral shape the JavaScript’s', async () => {
    for (const [i, audio] of (await realClips()).slice(0, 6).entries()) {
      expectSame(audio, computeFeatures(audio).pitch.f0Hz, `clip ${i}`, true);
    }
  });

  it('give tones, noise, silence, odd lengths and clips shorter than a frame the JavaScript’s, at every rate', () => {
    for (const sampleRate of [16000, 22050, 24000, 44100, 48000]) {
      const cases: [string, DecodedAudio][] = [
        ['tone 120 Hz', voiceTone({ sampleRate, seconds: 1.3, f0: () => 120 })],
        ['glide 60→400 Hz', voiceTone({ sampleRate, seconds: 2, f0: (t) => 60 * (400 / 60) ** (t / 2) })],
        ['noise', noise(1.1, sampleRate, 0.1)],
        ['silence', audioOf(new Float32Array(sampleRate), sampleRate)],
        ['odd length', voiceTone({ sampleRate, seconds: 1.234567, f0: () => 210 })],
        ['shorter than a frame', voiceTone({ sampleRate, seconds: 0.013, f0: () => 150 })],
        ['one sample', audioOf(Float32Array.of(0.5), sampleRate)],
        ['empty', audioOf(new Float32Array(0), sampleRate)],
      ];
      for (const [name, audio] of cases) {
        const label = `${name} at ${sampleRate} Hz`;
        expectSame(audio, computeFeatures(audio).pitch.f0Hz, label);
        expectSame(audio, allVoiced(audio), `${label}, every frame voiced`);
        expectSame(audio, allVoiced(audio), `${label}, with the shape`, true);
      }
    }
  });

  it('give a clip of many blocks the JavaScript’s, across the blocks’ edges', () => {
    // 50 s at 20 ms: 2,500 spectral frames, three blocks (39 with the shape), the last one short.
    const sampleRate = 16000;
    const tone = voiceTone({ sampleRate, seconds: 50, f0: (t) => 100 + 2 * t });
    const hiss = noise(50, sampleRate, 0.01).samples;
    const audio = audioOf(
      tone.samples.map((x, i) => x + hiss[i]),
      sampleRate,
    );
    expect(expectSame(audio, computeFeatures(audio).pitch.f0Hz, 'long clip')).toBeGreaterThan(1000);
    expectSame(audio, allVoiced(audio), 'long clip, with the shape', true);
  });

  it('fill computeFeatures’ outputs from the kernels', () => {
    const audio = voiceTone({ seconds: 1.5, f0: () => 150 });
    const f = computeFeatures(audio);
    const js = run(audio.samples, audio.sampleRate, f.pitch.f0Hz, false, true);
    expect(bytes(f.melPower).equals(bytes(js.melPower))).toBe(true);
    expect(bytes(f.cepstrum).equals(bytes(js.cepstrum))).toBe(true);
    expect(f.cepstrum.some((c) => c !== 0)).toBe(true);
  });
});
