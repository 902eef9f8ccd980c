import { describe, expect, it } from 'vitest';
import { speakerOutliers } from '../src/analyzers/dataset/speaker-outliers.js';
import { SIGNATURE_SIZE, encodeSignature, semitones } from '../src/analyzers/clip/voice-signature.js';
import type { ClipResult } from '../src/types.js';
import { uniform } from '../scripts/bench/noise.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordFile } from '../src/util/records.js';
import { speakerGroups, type SpeakerGroup } from '../src/util/speaker-groups.js';
import { foldVoices } from './helpers/voice-cases.js';

// A speaker larger than `exactUpTo` is judged on a seeded sample's centre and spread (util/speaker-groups.ts), every
// clip still scored against them. On generated speakers of 12,000–20,000 clips with planted strangers, the sampled
// judgement must find what the exact one finds, up to the clips that sit on the limit.

function gaussian(seed: number) {
  const rand = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** Clips whose ids differ between two sets, over the larger set. */
function disagreement(a: string[], b: string[]): number {
  const [x, y] = [new Set(a), new Set(b)];
  const only = [...x].filter((id) => !y.has(id)).length + [...y].filter((id) => !x.has(id)).length;
  return only / Math.max(1, x.size, y.size);
}

describe('speaker groups', () => {
  it('hands each speaker over whole in clip order, or a seeded sample of a large one with a pass over all of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'speaker-groups-'));
    const sizes = [200, 30, 45, 10];
    const run = () => {
      const file = recordFile(join(dir, 'records'), 6);
      const counts = [0, 0, 0, 0];
      // interleaved, six words a record: speaker, its record's number, then filler
      for (let i = 0; counts.some((n, s) => n < sizes[s]); i++) {
        const s = i % 4;
        if (counts[s] < sizes[s]) file.pushWords([s, counts[s]++, 7, 8, 9, i]);
      }
      const seen: { speaker: number; sampled: boolean; kept: number[]; all: number[] }[] = [];
      speakerGroups(file, counts, { dir, exactUpTo: 50, perPart: 60 }, (g: SpeakerGroup) => {
        const kept = Array.from({ length: g.count }, (_, i) => g.records[6 * i + 1]);
        for (let i = 0; i < g.count; i++) expect(g.records[6 * i]).toBe(g.speaker);
        const all: number[] = [];
        g.each((w, at) => all.push(w[at + 1]));
        seen.push({ speaker: g.speaker, sampled: g.sampled, kept, all });
      });
      file.close();
      return seen;
    };
    const seen = run();
    expect(seen.map((g) => g.speaker)).toEqual([0, 1, 2, 3]);
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);
    for (const g of seen) expect(g.all).toEqual(upTo(sizes[g.speaker]));
    for (const g of seen.slice(1)) expect([g.sampled, g.kept]).toEqual([false, upTo(sizes[g.speaker])]);
    const sample = seen[0];
    expect(sample.sampled).toBe(true);
    expect(new Set(sample.kept).size).toBe(50);
    const mean = sample.kept.reduce((a, b) => a + b, 0) / 50;
    expect(Math.abs(mean - 99.5)).toBeLessThan(25); // spread over the speaker, not its first records
    expect(run()[0].kept).toEqual(sample.kept); // the same sample every run
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('per-speaker judgements past exactUpTo', () => {
  it('scores rate outliers of a 20,000-clip speaker on a sample within a few clips of the exact scores', () => {
    const noise = gaussian(11);
    const values = Array.from({ length: 26_000 }, (_, i) => {
      const wild = i % 997 === 0 ? 25 : 0; // planted: far off the speaker's pace
      return 12 + 1.5 * noise() + (noise() > 2.5 ? 4 : 0) + wild;
    });
    const run = (exactUpTo?: number, valuesPerPart?: number) => {
      const o = { metric: 'rate.chars_per_sec', code: 'rate.outlier', unit: 'chars/s', maxRobustZ: 3.5 };
      const outliers = speakerOutliers({ ...o, minClipsPerSpeaker: 8, exactUpTo, valuesPerPart });
      values.forEach((v, i) => {
        // one speaker of 20,000 (sampled), interleaved with three of 2,000 (exact, each a part of its own)
        const speaker = i % 13 < 10 ? 'big' : `s${i % 13}`;
        outliers.add({
          id: `c${i}`,
          speaker,
          text: '',
          origin: { file: 'm.csv', line: i + 1 },
          audioPath: `c${i}`,
          metrics: { 'rate.chars_per_sec': v, 'signal.duration_sec': 3 },
          findings: [],
        });
      });
      const { clipFindings, ...rest } = outliers.finish();
      const findings = [...clipFindings];
      outliers.close();
      return { findings, ...rest };
    };
    const exact = run();
    const sampled = run(2000, 1500);
    expect(Object.keys(sampled.perSpeaker)).toEqual(Object.keys(exact.perSpeaker));
    expect(sampled.perSpeaker.big.clips).toBe(20_000);
    // the small speakers stay exact, whatever part they are read in
    for (const s of ['s10', 's11', 's12']) expect(sampled.perSpeaker[s]).toEqual(exact.perSpeaker[s]);
    expect(sampled.findings.filter((f) => !f.message.includes('speaker big'))).toEqual(
      exact.findings.filter((f) => !f.message.includes('speaker big')),
    );
    const big = (r: typeof exact) => r.findings.filter((f) => f.message.includes('speaker big')).map((f) => f.clipId);
    const planted = values.flatMap((_, i) => (i % 997 === 0 && i % 13 < 10 ? [`c${i}`] : []));
    expect(big(exact)).toEqual(expect.arrayContaining(planted));
    expect(big(sampled)).toEqual(expect.arrayContaining(planted));
    expect(Math.abs(sampled.perSpeaker.big.median - exact.perSpeaker.big.median)).toBeLessThan(
      0.01 * exact.perSpeaker.big.median,
    );
    expect(disagreement(big(sampled), big(exact))).toBeLessThan(0.1);
    // in clip order, as the exact run gives them
    const order = sampled.findings.map((f) => +f.clipId.slice(1));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('judges the voices of a 12,000-clip speaker on a sample: the same groups and label, nearly the same strangers', () => {
    const noise = gaussian(5);
    const rand = uniform(9);
    const clips: ClipResult[] = [];
    const add = (id: string, speaker: string, gender: string, hz: number, shift: number) => {
      const sig = new Float64Array(SIGNATURE_SIZE);
      sig[0] = semitones(hz);
      sig[1] = 3 + 0.3 * noise();
      for (let k = 2; k < SIGNATURE_SIZE; k++) sig[k] = (k % 5) - 2 + 0.3 * noise() + (k < 14 ? shift : 0);
      clips.push({
        id,
        speaker,
        gender,
        text: '',
        origin: { file: 'm.csv', line: clips.length + 1 },
        audioPath: id,
        metrics: {
          'pitch.median_hz': hz,
          'pitch.p5_hz': hz * 0.8,
          'pitch.p95_hz': hz * 1.25,
          'signal.duration_sec': 3,
        },
        annotations: { 'voice.signature': encodeSignature(sig) },
        findings: [],
      });
    };
    for (let i = 0; i < 12_000; i++) {
      // 15 % a second, lower voice (two pitch groups); one clip in 400 a stranger in timbre alone
      const second = rand() < 0.15;
      const hz = (second ? 110 : 215) * 2 ** ((0.8 * noise()) / 12);
      add(`a${i}`, 'A', 'F', hz, second ? 0.6 : i % 400 === 7 ? 1.5 : 0);
      // a speaker labelled M who sounds like a woman, and a small one that stays exact
      if (i % 8 === 0) add(`b${i}`, 'B', 'M', 220 * 2 ** ((0.8 * noise()) / 12), 0);
      if (i % 40 === 0) add(`c${i}`, 'C', 'F', 200 * 2 ** ((0.8 * noise()) / 12), i % 4000 === 0 ? 2 : 0);
    }
    const exact = foldVoices(clips);
    const sampled = foldVoices(clips, { exactUpTo: 1000 });
    const ids = (r: typeof exact, code: string, speaker: string) =>
      r.clipFindings.filter((f) => f.code === code && f.clipId.startsWith(speaker.toLowerCase())).map((f) => f.clipId);
    expect(sampled.summary.perSpeaker.C).toEqual(exact.summary.perSpeaker.C);
    for (const speaker of ['A', 'B']) {
      const [x, y] = [exact.summary.perSpeaker[speaker], sampled.summary.perSpeaker[speaker]];
      expect(y.clips).toBe(x.clips);
      expect(y.comparison).toBe(x.comparison);
      expect(y.issues.length).toBe(x.issues.length);
      for (const k of ['medianHz', 'lowHz', 'highHz'] as const) expect(Math.abs(y[k] - x[k])).toBeLessThan(0.01 * x[k]);
    }
    expect(exact.summary.perSpeaker.A.issues.join(' ')).toContain('two voices under one id');
    expect(ids(exact, 'voices.pitch_group', 'A').length).toBeGreaterThan(1500);
    expect(ids(sampled, 'voices.pitch_group', 'A')).toEqual(ids(exact, 'voices.pitch_group', 'A'));
    expect(ids(exact, 'voices.speaker_gender', 'B')).toHaveLength(1500);
    expect(ids(sampled, 'voices.speaker_gender', 'B')).toEqual(ids(exact, 'voices.speaker_gender', 'B'));
    const strangers = Array.from({ length: 30 }, (_, j) => `a${400 * j + 7}`);
    const unlike = (r: typeof exact) => ids(r, 'voices.unlike_speaker', 'A');
    const planted = strangers.filter((id) => !ids(exact, 'voices.pitch_group', 'A').includes(id));
    expect(unlike(exact)).toEqual(expect.arrayContaining(planted));
    expect(unlike(sampled)).toEqual(expect.arrayContaining(planted));
    expect(disagreement(unlike(sampled), unlike(exact))).toBeLessThan(0.1);
    const share = (r: typeof exact) => r.summary.shareOfHoursAffected;
    expect(Math.abs(share(sampled) - share(exact))).toBeLessThan(0.01);
  });
});
