import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { frameSpectra, powerSpectrum, realFft, spectrumAt } from '../src/features/fft.js';
import { computeFeatures, frameSizeFor } from '../src/features/frames.js';
import { kernelsProblem, loadClip } from '../src/kernels/wasm.js';
import { trackPitch, type PitchTrack } from '../src/features/pitch.js';
import type { DecodedAudio } from '../src/types.js';
import { realClips } from '../scripts/bench/real-clips.js';
import { gaussianNoise, pcmAudio } from './helpers/audio.js';
import * as oracle from './helpers/fft-oracle.js';
import { trackPitchJs } from './helpers/pitch-oracle.js';
import { voiceTone } from './helpers/prosody-cases.js';

// The WebAssembly kernels (src/kernels/assembly) against the JavaScript they replaced (test/helpers): every sum
// keeps its order and precision, so the tolerance is zero, bit for bit.

function pitchOf(audio: DecodedAudio, impl: typeof trackPitch): PitchTrack {
  const f = computeFeatures(audio);
  const { samples, sampleRate } = audio;
  return impl({ samples, sampleRate, hopSize: f.hopSize, stride: f.spectralStride, rmsDb: f.rmsDb });
}

function expectSameTrack(audio: DecodedAudio, name: string) {
  const js = pitchOf(audio, trackPitchJs);
  const wasm = pitchOf(audio, trackPitch);
  expect(Buffer.from(wasm.f0Hz.buffer).equals(Buffer.from(js.f0Hz.buffer)), `${name}: f0`).toBe(true);
  expect(
    Buffer.from(wasm.aperiodicity.buffer).equals(Buffer.from(js.aperiodicity.buffer)),
    `${name}: aperiodicity`,
  ).toBe(true);
  expect(wasm.voiced, name).toBe(js.voiced);
  return js;
}

const audioOf = pcmAudio;
const noise = (seconds: number, sampleRate: number, level: number) => gaussianNoise(seconds, sampleRate, level, 7);

describe('pitch kernels', () => {
  it('track every real sample clip as the JavaScript did, bit for bit', async () => {
    const clips = await realClips();
    let voiced = 0;
    for (const [i, audio] of clips.entries()) voiced += expectSameTrack(audio, `clip ${i}`).voiced;
    expect(voiced).toBeGreaterThan(1000);
  });

  it('track tones, glides, noise, silence and odd lengths as the JavaScript did, at every rate', () => {
    for (const sampleRate of [16000, 22050, 24000, 44100, 48000]) {
      const cases: [string, DecodedAudio][] = [
        ['tone 120 Hz', voiceTone({ sampleRate, seconds: 1.3, f0: () => 120 })],
        ['tone 480 Hz', voiceTone({ sampleRate, seconds: 0.9, f0: () => 480 })],
        ['glide 60→400 Hz', voiceTone({ sampleRate, seconds: 2, f0: (t) => 60 * (400 / 60) ** (t / 2) })],
        ['noise', noise(1.1, sampleRate, 0.1)],
        ['silence', audioOf(new Float32Array(sampleRate), sampleRate)],
        ['odd length', voiceTone({ sampleRate, seconds: 1.234567, f0: () => 210 })],
        ['shorter than a frame', voiceTone({ sampleRate, seconds: 0.013, f0: () => 150 })],
        ['one sample', audioOf(Float32Array.of(0.5), sampleRate)],
      ];
      const voiced = cases.map(([name, audio]) => expectSameTrack(audio, `${name} at ${sampleRate} Hz`).voiced);
      // The tones and the glide are found voiced, noise and silence not: the comparison is not between empty tracks.
      expect(voiced[0] + voiced[1] + voiced[2], `${sampleRate} Hz`).toBeGreaterThan(100);
      expect(voiced[4], `${sampleRate} Hz`).toBe(0);
    }
  });

  it('track a clip the same after a longer one, and after one long enough to renew the memory', () => {
    const short = voiceTone({ seconds: 1, f0: () => 140 });
    const alone = pitchOf(short, trackPitch);
    pitchOf(voiceTone({ seconds: 6, f0: () => 90 }), trackPitch);
    expect(pitchOf(short, trackPitch)).toEqual(alone);
    // 20 M samples (80 MB) is past the memory a thread keeps between clips.
    pitchOf(audioOf(new Float32Array(20_000_000), 48000), trackPitch);
    expect(pitchOf(short, trackPitch)).toEqual(alone);
  });
});

/** Whether every frame's spectrum (every `step` samples, from before the clip's start to past its end) is the oracle's. */
function sameSpectra(samples: Float32Array, size: number, step: number): number {
  const spectra = frameSpectra(loadClip(samples), size);
  const expected = new Float64Array(size / 2 + 1);
  const f = oracle.realFft(size);
  let frames = 0;
  for (let start = -size; start < samples.length + size; start += step, frames++) {
    oracle.powerSpectrum(f, samples, start, expected);
    const power = spectrumAt(spectra, start);
    if (!Buffer.from(power.buffer, power.byteOffset, power.byteLength).equals(Buffer.from(expected.buffer)))
      throw new Error(`size ${size}, frame at ${start}: spectra differ`);
  }
  return frames;
}

describe('spectrum kernel', () => {
  it('gives every real clip’s frames the JavaScript’s power spectra, bit for bit, edges included', async () => {
    let frames = 0;
    for (const audio of await realClips()) frames += sameSpectra(audio.samples, frameSizeFor(audio.sampleRate), 220);
    expect(frames).toBeGreaterThan(10_000);
  });

  it('gives tones, noise, silence and clips shorter than a frame the JavaScript’s spectra at every size', () => {
    for (const size of [8, 16, 32, 512, 1024, 2048, 4096]) {
      const cases = [
        voiceTone({ seconds: 0.3, f0: () => 180 }).samples,
        noise(0.2, 16000, 0.3).samples,
        new Float32Array(3000),
        voiceTone({ seconds: 0.2, f0: (t) => 100 + 900 * t }).samples.subarray(0, 4001),
        Float32Array.of(0.25, -0.5, 1),
      ];
      for (const samples of cases) sameSpectra(samples, size, 97);
    }
  });

  it('computes a frame of samples outside the kernels’ memory the same', async () => {
    const [audio] = await realClips();
    const expected = new Float64Array(257);
    const power = new Float64Array(257);
    for (const start of [-300, 0, 12_345, audio.samples.length - 100]) {
      oracle.powerSpectrum(oracle.realFft(512), audio.samples, start, expected);
      powerSpectrum(realFft(512), audio.samples, start, power);
      expect(power).toEqual(expected);
    }
  });
});

describe('the kernels module', () => {
  it('is built, and a missing or broken one is one clear sentence rather than an error per clip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tts-kernels-'));
    try {
      expect(kernelsProblem()).toBeUndefined();
      const missing = kernelsProblem(pathToFileURL(join(dir, 'kernels.wasm')));
      expect(missing).toMatch(/kernels\.wasm are missing: build them with `npm run build`/);
      writeFileSync(join(dir, 'broken.wasm'), 'not a module');
      expect(kernelsProblem(pathToFileURL(join(dir, 'broken.wasm')))).toMatch(
        /broken\.wasm are unusable \(CompileError/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
