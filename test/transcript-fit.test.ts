import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dictionaryWords,
  fitFeatures,
  fitProbability,
  FIT_FEATURES,
  recognizerEvidence,
  speechFramesPerPhone,
} from '../src/analyzers/clip/transcript-fit.js';
import { fitWeights } from '../src/analyzers/clip/alignment-config.js';
import { configSchema } from '../src/config/schema.js';
import { isFiller } from '../src/plugins/pocketsphinx-parse.js';
import { openPocketsphinx, type Pocketsphinx } from '../src/plugins/pocketsphinx.js';
import { decode } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

// The combination of the recognizer's evidence: monotone (no weight below 0), and the pace of the speech
// against the transcript's phones; the alignment's beam on a real long clip.

const phones = (w: string) => ({ the: 2, cat: 3, sat: 3 })[w as 'the'];
const seg = (word: string, startSec: number, endSec: number, acoustic = -2000) => ({
  word,
  startSec,
  endSec,
  posterior: 1,
  acoustic,
});

describe('combining the evidence', () => {
  it('refuses a negative weight: no feature may count in favour of a fit', () => {
    expect(() => fitWeights({ bias: 0, dtwScore: 1 }).parse({ skipped: -1 })).toThrow();
    const w = configSchema.parse({}).analyzers.alignment.recognizer.weights;
    for (const f of FIT_FEATURES) expect(w[f], f).toBeGreaterThanOrEqual(0);
  });

  it('is monotone: more of any feature never lowers the probability', () => {
    const w = configSchema.parse({}).analyzers.alignment.recognizer.weights;
    const e = recognizerEvidence(['the', 'cat', 'sat'], phones, [seg('the', 0.1, 0.3), seg('cat', 0.3, 0.6)]);
    const base = fitFeatures(e, 0.7, 0.1, 9, 9);
    const p0 = fitProbability(w, base);
    for (const f of FIT_FEATURES)
      expect(fitProbability(w, { ...base, [f]: base[f] + 0.5 }), f).toBeGreaterThanOrEqual(p0);
  });

  it('reads the pace against the transcript: twice the frames per phone is slow, half is fast', () => {
    const e = recognizerEvidence(['the', 'cat', 'sat'], phones, [
      seg('the', 0, 0.2),
      seg('cat', 0.2, 0.5),
      seg('sat', 0.5, 0.8),
    ]);
    expect(e.knownPhones).toBe(8);
    expect(speechFramesPerPhone(e, 0.8)).toBeCloseTo(10);
    const slow = fitFeatures(e, 0.7, 0, 18, 9);
    expect(slow.slow).toBeCloseTo(Math.log(2));
    expect(slow.fast).toBe(0);
    const fast = fitFeatures(e, 0.7, 0, 4.5, 9);
    expect(fast.slow).toBe(0);
    expect(fast.fast).toBeCloseTo(Math.log(2));
  });

  it('nothing aligned costs more than any word heard, not less', () => {
    const none = recognizerEvidence(['the', 'cat'], phones, []);
    const some = recognizerEvidence(['the', 'cat'], phones, [seg('the', 0, 0.2, -400)]);
    expect(fitFeatures(none, 0.7, 1, undefined, 9).acousticCost).toBeGreaterThan(
      fitFeatures(some, 0.7, 0.5, 9, 9).acousticCost,
    );
  });
});

describe('the forced alignment on a long real clip', () => {
  let ps: Pocketsphinx | undefined;
  beforeAll(async () => {
    ps = await openPocketsphinx();
  });
  afterAll(() => ps?.close());

  it('keeps every word of VCTK 0.80 p230_023 (15 s, 36 words) at the default beam, where pocketsphinx’s own beams lost their way', async () => {
    expect(ps, 'pocketsphinx and pocketsphinx-en-us must be installed (see .ci/run)').toBeDefined();
    const dir = join(REAL, 'vctk-0.80');
    const a = await decode(join(dir, 'wav48', 'p230', 'p230_023.wav'));
    const words = dictionaryWords(readFileSync(join(dir, 'txt', 'p230', 'p230_023.txt'), 'utf8'));
    const heard = async () =>
      (await ps!.align(a.samples, a.sampleRate, words)).filter((s) => !isFiller(s.word)).map((s) => s.word);
    expect(words).toHaveLength(36);
    // At pocketsphinx's own beams (1e-48, word beam 7e-29) the search kept 10 of them (run by hand with sox-resampled
    // audio): it pruned the path through the grammar and skipped most of the sentence.
    expect(await heard()).toEqual(words);
  });
});
