import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type AuditConfigInput } from '../src/config/schema.js';
import { dtw } from '../src/dsp/dtw.js';
import { mfcc } from '../src/dsp/mfcc.js';
import { audit } from '../src/index.js';
import { analyseClip } from '../src/pipeline/clip.js';
import { ESPEAK_ENV, openEspeak, type Espeak } from '../src/plugins/espeak.js';
import type { DecodedAudio, Utterance } from '../src/types.js';
import { decode, facts } from './helpers/audio.js';
import { DEEP, LJ, LJ_INFO, ljTranscripts } from './helpers/transcripts.js';

// One espeak-ng for the whole file, as a run opens one for all its clips.
let espeak: Espeak | undefined;
beforeAll(async () => {
  espeak = await openEspeak();
});
afterAll(() => espeak?.close());

/** A clip with the given transcript and audio, through the pipeline as an audit runs it. */
async function run(id: string, audio: DecodedAudio, text: string, config: AuditConfigInput = DEEP, tools = { espeak }) {
  const u: Utterance = {
    id,
    text,
    audio: { kind: 'pcm', samples: audio.samples, sampleRate: audio.sampleRate, name: `${id}.wav` },
    origin: { file: 'metadata.csv' },
    language: 'en',
  };
  const env = { config: configSchema.parse(config), facts: facts(LJ_INFO), tools, readRoots: [] };
  const { clip, drafts } = await analyseClip(u, env);
  return { metrics: clip.metrics, codes: drafts.map((d) => d.code) };
}

describe('dtw', () => {
  const seq = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const abs = (a: Float64Array, b: Float64Array) => (i: number, j: number) => Math.abs(a[i] - b[j]);

  it('costs nothing for a copy played slower, and something for a different signal', () => {
    const a = seq(200, (i) => Math.sin(i / 7));
    const slow = seq(300, (i) => Math.sin(i / 10.5)); // the same curve, 1.5× longer
    expect(dtw(200, 300, 10, abs(a, slow)).pathCost).toBeLessThan(0.02);
    expect(
      dtw(
        200,
        200,
        10,
        abs(
          a,
          seq(200, (i) => Math.cos(i / 3)),
        ),
      ).pathCost,
    ).toBeGreaterThan(0.2);
  });

  it('evaluates only the band: O(n·band), not O(n·m)', () => {
    const a = seq(1000, (i) => i);
    expect(dtw(1000, 1000, 20, abs(a, a)).cells).toBeLessThanOrEqual(1000 * 41);
  });

  it('finds how much of the longer sequence an early stop leaves out', () => {
    const full = seq(300, (i) => Math.sin(i / 5) + Math.sin(i / 13));
    const cut = full.slice(0, 210); // the first 70 %
    const r = dtw(210, 300, 300, abs(cut, full));
    expect(r.openEnd.coverageA).toBe(1);
    expect(Math.abs(r.openEnd.coverageB - 0.7)).toBeLessThan(0.03);
    expect(r.openEnd.cost).toBeLessThan(r.pathCost);
  });
});

describe('mfcc', () => {
  it('frames 25 ms every 10 ms at 16 kHz and reads a full-scale sine at −3 dBFS', () => {
    const tone = Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const m = mfcc(tone);
    expect(m.frames).toBe(Math.floor((16000 - 400) / 160) + 1);
    expect(m.coefficients).toBe(13);
    expect(Math.abs(m.levelDb[10] + 3.01)).toBeLessThan(0.05);
    expect(m.data.every(Number.isFinite)).toBe(true);
    expect(mfcc(new Float32Array(100)).frames).toBe(0);
  });
});

describe('phoneme rate and alignment on real clips', () => {
  const ids = ['LJ001-0001', 'LJ001-0002', 'LJ001-0003', 'LJ001-0004', 'LJ001-0005', 'LJ001-0006', 'LJ001-0007'];
  const audio = new Map<string, DecodedAudio>();
  beforeAll(async () => {
    for (const id of ids) audio.set(id, await decode(join(LJ, 'wavs', `${id}.wav`)));
  });

  it('puts LJSpeech in a plausible phoneme rate band', async () => {
    const rates = [];
    for (const id of ids) {
      const { metrics } = await run(id, audio.get(id)!, ljTranscripts.get(id)!, {});
      expect(metrics['alignment.score'], 'alignment is opt-in').toBeUndefined();
      rates.push(metrics['phonemes.per_sec']);
      // English spends ~1.2 letters per phoneme: fewer phonemes than letters.
      expect(metrics['phonemes.count']).toBeLessThan(ljTranscripts.get(id)!.replace(/[^\p{L}]/gu, '').length);
    }
    // Measured with espeak-ng 1.51: 9.0–13.3 phonemes/s, median 11.3 (read speech runs about 10–15).
    for (const r of rates) expect(r).toBeGreaterThan(8);
    for (const r of rates) expect(r).toBeLessThan(15);
  });

  it('scores a true pair better than a swapped transcript or 30 %-truncated audio', async () => {
    for (const [id, other] of [
      ['LJ001-0001', 'LJ001-0005'],
      ['LJ001-0003', 'LJ001-0007'],
      ['LJ001-0004', 'LJ001-0006'],
    ]) {
      const a = audio.get(id)!;
      const truth = await run(id, a, ljTranscripts.get(id)!);
      const swapped = await run(id, a, ljTranscripts.get(other)!);
      const truncated = await run(
        id,
        { ...a, samples: a.samples.slice(0, Math.round(a.samples.length * 0.7)) },
        ljTranscripts.get(id)!,
      );
      expect(truth.metrics['alignment.score'], id).toBeLessThan(swapped.metrics['alignment.score']);
      expect(truth.metrics['alignment.score'], id).toBeLessThan(truncated.metrics['alignment.score']);
      expect(truth.codes, id).not.toContain('alignment.mismatch');
    }
  });

  it('flags a transcript that belongs to another clip', async () => {
    const r = await run('LJ001-0002', audio.get('LJ001-0002')!, ljTranscripts.get('LJ001-0001')!);
    expect(r.codes).toContain('alignment.mismatch');
  });
});

describe('without espeak-ng', () => {
  const saved = process.env[ESPEAK_ENV];
  beforeAll(() => {
    process.env[ESPEAK_ENV] = 'none';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env[ESPEAK_ENV];
    else process.env[ESPEAK_ENV] = saved;
  });

  it('measures no phoneme rate and no alignment, fails nothing, and the report says characters per second stand in', async () => {
    const { report } = await audit({ source: LJ, config: DEEP });
    expect(report.summary.analysed).toBe(7);
    expect(report.findings['analyzer.failed']).toBeUndefined();
    expect(report.findings['alignment.mismatch']).toBeUndefined();
    const summary = report.dataset.phonemeRateOutliers!;
    expect(summary.phonemizer).toBeNull();
    expect(summary.clipsWithRate).toBe(0);
    expect(summary.note).toMatch(/espeak-ng was not found.*characters per second.*rate\.chars_per_sec/);
    // A run without espeak-ng opens no tools: the analyzers see none.
    const r = await run(
      'LJ001-0002',
      await decode(join(LJ, 'wavs', 'LJ001-0002.wav')),
      ljTranscripts.get('LJ001-0002')!,
      DEEP,
      {
        espeak: undefined,
      },
    );
    expect(Object.keys(r.metrics).filter((k) => /^(phonemes|alignment)\./.test(k))).toEqual([]);
    expect(r.metrics['rate.chars_per_sec']).toBeGreaterThan(0);
  });
});
