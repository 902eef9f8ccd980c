import { describe, expect, it } from 'vitest';
import { computeFeatures } from '../src/features/frames.js';
import { trackPitch, type PitchTrack } from '../src/features/pitch.js';
import type { DecodedAudio } from '../src/types.js';
import { realClips } from '../scripts/bench/real-clips.js';
import { gaussian } from './helpers/audio.js';
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

const audioOf = (samples: Float32Array, sampleRate: number): DecodedAudio => ({
  samples,
  sampleRate,
  channels: 1,
  bitDepth: 16,
  codec: 'pcm',
  durationSec: samples.length / sampleRate,
});

function noise(seconds: number, sampleRate: number, level: number): DecodedAudio {
  const rand = gaussian(7);
  return audioOf(
    Float32Array.from({ length: Math.round(seconds * sampleRate) }, () => level * rand()),
    sampleRate,
  );
}

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
