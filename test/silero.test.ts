import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { learnedSpan, wantsLearnedVad } from '../src/features/speech-learned.js';
import { findSpeech } from '../src/features/speech.js';
import { analyseClip } from '../src/pipeline/clip.js';
import { openSilero, toFrames, type Silero } from '../src/plugins/silero.js';
import { decode, facts } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

// Silero VAD is an optional plugin (onnxruntime-node is 288 MB): these tests run where it is installed (beside
// tts-audit or in TTS_AUDIT_PLUGINS) and are skipped elsewhere; the hysteresis and the choice of method always run.

describe('the learned VAD, wherever it is installed or not', () => {
  it('turns chunk probabilities into frames with Silero’s hysteresis (on at 0.5, held over a dip to 0.35)', () => {
    // 32 ms chunks onto 10 ms frames: chunk c covers frames ⌈c·3.2⌉ … ⌈(c+1)·3.2⌉ − 1.
    const low = Array<number>(5).fill(0.1);
    const frames = toFrames(Float32Array.of(0.1, 0.6, 0.4, 0.6, 0.3, ...low), 0.01, 32, 0.5);
    expect(Array.from(frames)).toEqual([0, 0, 0, 0, ...Array<number>(9).fill(1), ...Array<number>(19).fill(0)]);
  });

  it('ends a run at its last chunk at the threshold, less the model’s lag', () => {
    const low = Array<number>(5).fill(0.1);
    const fading = Float32Array.of(0.1, 0.6, 0.6, 0.45, 0.4, ...low);
    // The hysteresis holds chunks 3–4 (≥ 0.35); the run ends at chunk 2, the last at 0.5.
    expect(toFrames(fading, 0.01, 32, 0.5).lastIndexOf(1)).toBe(9);
    // One chunk (32 ms) of lag off: it ends at chunk 1; a run never loses its first chunk.
    expect(toFrames(fading, 0.01, 32, 0.5, 0.032).lastIndexOf(1)).toBe(6);
    expect(toFrames(fading, 0.01, 32, 0.5, 0.2).lastIndexOf(1)).toBe(6);
  });

  it('keeps speech on to the end when it falls off less than 0.1 s before the clip ends (the zero-padded last chunk)', () => {
    // Silero's own getSpeechTimestamps ends speech only after 100 ms below the release level, else at the clip's end.
    const late = toFrames(Float32Array.of(0.1, 0.9, 0.9, 0.9, 0.05, 0.02), 0.01, 19, 0.5);
    expect(Array.from(late)).toEqual([0, 0, 0, 0, ...Array<number>(15).fill(1)]);
    const early = toFrames(Float32Array.of(0.1, 0.9, 0.9, 0.9, 0.05, 0.02, 0.02, 0.02), 0.01, 25, 0.5);
    expect(early.lastIndexOf(1)).toBe(12);
  });

  it('is asked only where the energy method is unsure, on every clip when `always`, never when `off`', async () => {
    const audio = await decode(join(REAL, 'vctk-0.80', 'wav48', 'p376', 'p376_193.wav'));
    const c = configSchema.parse({}).analyzers.silence;
    const span = findSpeech(computeFeatures(audio), audio.durationSec, c);
    expect(span.unsure).toBe(false);
    expect(wantsLearnedVad(span, c)).toBe(false);
    expect(wantsLearnedVad({ ...span, unsure: true }, c)).toBe(true);
    expect(wantsLearnedVad(span, { ...c, vad: 'always' })).toBe(true);
    expect(wantsLearnedVad({ ...span, unsure: true }, { ...c, vad: 'off' })).toBe(false);
  });
});

describe('Silero VAD (when installed)', async () => {
  let silero: Silero | undefined;
  beforeAll(async () => {
    silero = await openSilero();
  });
  afterAll(() => silero?.close());
  const installed = (await openSilero().then((s) => (s?.close(), s !== undefined))) as boolean;

  it.skipIf(!installed)('finds the onsets read off spectrograms on real VCTK 0.80 clips', async () => {
    const c = configSchema.parse({}).analyzers.silence;
    // Onsets from test/speech-onsets.test.ts (spectrograms).
    for (const [clip, onset] of [
      ['p301/p301_102', 1.29],
      ['p376/p376_193', 3.41],
      ['p230/p230_023', 2.22],
    ] as const) {
      const audio = await decode(join(REAL, 'vctk-0.80', 'wav48', `${clip}.wav`));
      const features = computeFeatures(audio);
      const span = await learnedSpan(findSpeech(features, audio.durationSec, c), audio, features, c, silero!);
      expect(span.method).toBe('silero');
      expect(Math.abs(span.leadingSec - onset)).toBeLessThanOrEqual(0.15);
    }
  });

  it.skipIf(!installed)('decides the span in the pipeline with `vad: always` and says so', async () => {
    const config = configSchema.parse({ analyzers: { silence: { vad: 'always' } } });
    const env = {
      config,
      facts: facts({ name: 'vctk', language: 'en', expectsNormalizedText: false }),
      tools: { silero },
      readRoots: [REAL],
    };
    const relPath = join('vctk-0.80', 'wav48', 'p301', 'p301_102.wav');
    const u = {
      id: 'p301_102',
      text: 'I am sure all schools would accept that.',
      audio: { kind: 'file' as const, path: join(REAL, relPath), relPath },
      origin: { file: 'txt/p301/p301_102.txt' },
    };
    const { clip } = await analyseClip(u, env);
    expect(clip.annotations?.['silence.method']).toBe('silero');
    expect(Math.abs(clip.metrics['silence.leading_sec'] - 1.29)).toBeLessThanOrEqual(0.15);
  });
});
