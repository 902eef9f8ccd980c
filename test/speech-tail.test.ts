import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { extendTail } from '../src/features/speech-activity.js';
import { findSpeech } from '../src/features/speech.js';
import { decode, gaussian, withNoise } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

// The speech's end moves over a sound after a short gap (a final stop's release after its closure) on clips where
// the energy method is unsure. p238_165 ends in a final stop whose release runs to 4.20 s (read off a spectrogram:
// CLEAN_EDGES in scripts/bench/silence-cases.ts); under white noise the speech-band RMS loses it after the closure and
// ends the speech at ≈ 4.01 s.
const END_SEC = 4.2;
const TOLERANCE_SEC = 0.1;

describe('the trailing edge over a final stop', () => {
  it('keeps the /t/ release after its closure under white noise at 15 dB (and loses it without the tail)', async () => {
    const clean = await decode(join(REAL, 'vctk-0.80', 'wav48', 'p238', 'p238_165.wav'));
    const c = configSchema.parse({}).analyzers.silence;
    for (const seed of [1, 2, 3]) {
      const audio = withNoise(clean, 15, seed);
      const features = computeFeatures(audio);
      const span = findSpeech(features, audio.durationSec, c);
      expect(span.unsure).toBe(true);
      expect(Math.abs(audio.durationSec - span.trailingSec - END_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC);
      const without = findSpeech(features, audio.durationSec, { ...c, tailFrames: 10_000 });
      expect(END_SEC - (audio.durationSec - without.trailingSec)).toBeGreaterThan(TOLERANCE_SEC);
    }
  });

  const settings = { edgeMarginDb: 2, minFrames: 2, gapFrames: 10, maxFrames: 20 };
  /** 50 frames of speech, then frame levels of noise (σ 0.5 dB around −40 dBFS) with `burst` set at its frames. */
  function levels(burst: Record<number, number>): { level: Float32Array; isSpeech: Uint8Array } {
    const rand = gaussian(7);
    const level = Float32Array.from({ length: 150 }, (_, i) => (i < 50 ? -20 : -40 + 0.5 * rand()));
    for (const [at, db] of Object.entries(burst)) level[50 + Number(at)] = db;
    return { level, isSpeech: Uint8Array.from(level, (_, i) => (i < 50 ? 1 : 0)) };
  }

  it('bridges a closure of up to `gapFrames` to a burst of `minFrames` loud frames, and no more', () => {
    const stop = levels({ 6: -32, 7: -30, 8: -34 });
    expect(extendTail(stop.level, stop.isSpeech, settings)).toBe(58);
    expect(stop.isSpeech.lastIndexOf(1)).toBe(58);
    expect(stop.isSpeech.indexOf(0)).toBe(59);
    const late = levels({ 12: -32, 13: -30, 14: -34 });
    expect(extendTail(late.level, late.isSpeech, settings)).toBe(49);
    const click = levels({ 5: -25 });
    expect(extendTail(click.level, click.isSpeech, settings)).toBe(49);
    expect(click.isSpeech.lastIndexOf(1)).toBe(49);
  });
});
