import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trimCheckConfig } from '../src/analyzers/clip/alignment-config.js';
import { checkTrims } from '../src/analyzers/clip/alignment-trims.js';
import type { RecognizerEvidence } from '../src/analyzers/clip/transcript-fit.js';
import { alignment } from '../src/analyzers/clip/alignment.js';
import type { ClipAnalysis } from '../src/analyzers/types.js';
import { configSchema } from '../src/config/schema.js';
import type { SpeechSpan } from '../src/features/speech.js';
import { suggestedTrims } from '../src/features/trims.js';
import { openEspeak, type Espeak } from '../src/plugins/espeak.js';
import { openPocketsphinx, type Pocketsphinx } from '../src/plugins/pocketsphinx.js';
import type { Utterance } from '../src/types.js';
import { clipContext, decode } from './helpers/audio.js';
import { DEEP, LJ, LJ_INFO, ljTranscripts } from './helpers/transcripts.js';

describe('checking trims against word timings', () => {
  const words = {
    firstWord: { startSec: 0.5, endSec: 0.8, phones: 3 },
    lastWord: { startSec: 2.1, endSec: 2.5, phones: 4 },
  } as RecognizerEvidence;
  const c = trimCheckConfig.parse(undefined);

  it('measures what a trim cuts of the aligned words at each end, and flags past the limit', () => {
    const kept = checkTrims(words, { startSec: 0.4, endSec: 2.65 }, c);
    expect(kept.metrics).toEqual({ 'alignment.trim_cut_start_sec': 0, 'alignment.trim_cut_end_sec': 0 });
    expect(kept.finding).toBeUndefined();
    expect(checkTrims(words, { startSec: 0.65, endSec: 2.4 }, c).finding, 'within the limit').toBeUndefined();
    const late = checkTrims(words, { startSec: 0.9, endSec: 2.6 }, c);
    expect(late.metrics['alignment.trim_cut_start_sec']).toBeCloseTo(0.4);
    expect(late.finding).toMatchObject({ code: 'alignment.trim_cuts_speech', metric: 'alignment.trim_cut_start_sec' });
    const early = checkTrims(words, { startSec: 0.4, endSec: 2.1 }, c);
    expect(early.finding?.metric).toBe('alignment.trim_cut_end_sec');
    expect(early.finding?.message).toMatch(/0\.4 s of aligned speech at the end.*last word at 2\.5 s/);
  });

  it('says nothing when no word was aligned or the check is off', () => {
    expect(checkTrims({} as RecognizerEvidence, { startSec: 1, endSec: 2 }, c)).toEqual({ metrics: {} });
    const off = trimCheckConfig.parse({ enabled: false });
    expect(checkTrims(words, { startSec: 1, endSec: 2 }, off)).toEqual({ metrics: {} });
  });
});

// Real LJSpeech clips through the alignment analyzer, with the speech span the pipeline found and with that span
// shortened by 0.5 s at one end (as when a detector loses a quiet onset or a soft ending): the suggested trims
// then cut words the recognizer found.
describe('the suggested trims on real clips', () => {
  let espeak: Espeak | undefined;
  let pocketsphinx: Pocketsphinx | undefined;
  beforeAll(async () => {
    [espeak, pocketsphinx] = await Promise.all([openEspeak(), openPocketsphinx()]);
  });
  afterAll(() => {
    espeak?.close();
    pocketsphinx?.close();
  });
  const config = configSchema.parse(DEEP).analyzers.alignment;
  const margin = configSchema.parse({}).analyzers.silence.trimMarginSec;

  it.each(['LJ001-0002', 'LJ001-0004', 'LJ001-0006'])('%s', async (id) => {
    expect(pocketsphinx, 'pocketsphinx and pocketsphinx-en-us must be installed (see .ci/run)').toBeDefined();
    const a = await decode(join(LJ, 'wavs', `${id}.wav`));
    const u: Utterance = {
      ...utterance(id),
      audio: { kind: 'pcm', samples: a.samples, sampleRate: a.sampleRate, name: id },
    };
    const prepared = await alignment.prepare!({
      utterance: u,
      config,
      source: LJ_INFO,
      tools: { espeak, pocketsphinx },
      audio: Promise.resolve(a),
    });
    const ctx = clipContext(a, config, u);
    const analyse = (speech: SpeechSpan) =>
      alignment.analyze({ ...ctx, speech, trims: suggestedTrims(speech, a.durationSec, margin), prepared });
    const codes = (r: ClipAnalysis) => r.findings.map((f) => f.code);
    const own = analyse(ctx.speech);
    expect(codes(own)).toEqual([]);
    expect(own.metrics['alignment.trim_cut_start_sec']).toBeLessThan(0.2);
    expect(own.metrics['alignment.trim_cut_end_sec']).toBeLessThan(0.2);
    const lost = 0.5;
    const late = analyse({
      ...ctx.speech,
      leadingSec: ctx.speech.leadingSec + lost,
      speechSec: ctx.speech.speechSec - lost,
    });
    expect(codes(late)).toEqual(['alignment.trim_cuts_speech']);
    expect(late.findings[0].metric).toBe('alignment.trim_cut_start_sec');
    const early = analyse({
      ...ctx.speech,
      trailingSec: ctx.speech.trailingSec + lost,
      speechSec: ctx.speech.speechSec - lost,
    });
    expect(codes(early)).toEqual(['alignment.trim_cuts_speech']);
    expect(early.findings[0].metric).toBe('alignment.trim_cut_end_sec');
  });
});

function utterance(id: string) {
  return { id, text: ljTranscripts.get(id)!, origin: { file: 'metadata.csv' }, language: 'en' };
}
