import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, coverage } from '../src/analyzers/dataset/coverage.js';
import { format } from '../src/analyzers/dataset/format.js';
import { rateOutliers } from '../src/analyzers/dataset/rate-outliers.js';
import { speakerOutliers } from '../src/analyzers/dataset/speaker-outliers.js';
import { textDiversity } from '../src/analyzers/dataset/text-diversity.js';
import { audit, type AuditReport } from '../src/index.js';
import type { ClipResult } from '../src/types.js';
import { metricStats } from '../src/util/metric-stats.js';
import { robustZ } from '../src/util/stats.js';
import { facts, sox } from './helpers/audio.js';
import { REAL, tempDir } from './helpers/run.js';

const LJ = join(REAL, 'ljspeech');
const realRows = readFileSync(join(LJ, 'metadata.csv'), 'utf8').trim().split('\n');

/** An LJSpeech-layout set of the real clips plus odd formats and broken files, made here with sox. */
function oddDataset(): string {
  const root = tempDir();
  mkdirSync(join(root, 'wavs'));
  const rows = [...realRows];
  for (const row of realRows)
    copyFileSync(join(LJ, 'wavs', `${row.split('|')[0]}.wav`), join(root, 'wavs', `${row.split('|')[0]}.wav`));
  const text = realRows[3].split('|').slice(1).join('|');
  const src = join(LJ, 'wavs', 'LJ001-0004.wav');
  sox([src, '-r', '16000', join(root, 'wavs', 'X-16k.wav')]);
  sox([src, '-c', '2', join(root, 'wavs', 'X-stereo.wav')]);
  sox([src, '-b', '24', join(root, 'wavs', 'X-24bit.wav')]);
  writeFileSync(join(root, 'wavs', 'X-garbage.wav'), Buffer.from('this is not audio at all, just text pretending'));
  writeFileSync(join(root, 'wavs', 'X-empty.wav'), Buffer.alloc(0));
  for (const id of ['X-16k', 'X-stereo', 'X-24bit', 'X-garbage', 'X-empty']) rows.push(`${id}|${text}`);
  rows.push(`LJ001-0001|${realRows[0].split('|').slice(1).join('|')}`);
  writeFileSync(join(root, 'metadata.csv'), rows.join('\n') + '\n');
  return root;
}

describe('a dataset with odd formats and broken files', () => {
  let report: AuditReport;
  let out: string;
  beforeAll(async () => {
    out = tempDir();
    ({ report } = await audit({ source: oddDataset(), out }));
  });

  const codesOf = (id: string) =>
    readFileSync(join(out, 'clips.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((c) => c.id === id)
      ?.findings.map((f: { code: string }) => f.code);

  it("compares each clip's format with the corpus' published one and says both values", () => {
    expect(codesOf('X-16k')).toBeDefined();
    const sr = report.findings['signal.sample_rate_mismatch'];
    expect(sr.worst.map((f) => f.clipId)).toEqual(['X-16k']);
    expect(sr.worst[0].message).toBe('sample rate 16000 Hz, expected 22050 Hz (corpus)');
    expect(report.findings['signal.channels_mismatch'].worst.map((f) => f.clipId)).toEqual(['X-stereo']);
    expect(report.findings['signal.bit_depth_mismatch'].worst.map((f) => f.clipId)).toEqual(['X-24bit']);
    expect(report.dataset.format?.formats['22050 Hz/16-bit/2 ch/pcm_s16le']).toBe(1);
  });

  it('records unreadable files as findings naming the file, and finishes the run', () => {
    expect(codesOf('X-garbage')).toEqual([expect.stringMatching(/^audio\.(corrupt|unsupported)$/)]);
    expect(codesOf('X-empty')).toEqual(['audio.empty']);
    expect(report.summary.unreadable).toBe(2);
    expect(report.summary.analysed).toBe(realRows.length + 3);
    const dropped = readFileSync(join(out, 'curated', 'dropped.jsonl'), 'utf8');
    expect(dropped).toContain('wavs/X-garbage.wav');
  });

  it('skips a repeated clip id with a finding on its line', () => {
    const dup = report.sourceFindings.find((f) => f.code === 'source.duplicate_id');
    expect(dup?.origin?.line).toBe(realRows.length + 6);
    expect(report.summary.listed).toBe(realRows.length + 5);
  });

  it('downmixes the stereo copy to the same levels as the mono original', () => {
    const lines = readFileSync(join(out, 'clips.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const mono = lines.find((c) => c.id === 'LJ001-0004').metrics;
    const stereo = lines.find((c) => c.id === 'X-stereo').metrics;
    expect(Math.abs(mono['signal.rms_dbfs'] - stereo['signal.rms_dbfs'])).toBeLessThan(0.01);
  });
});

function clip(id: string, speaker: string, rate: number, text = `text of ${id}`): ClipResult {
  return {
    id,
    speaker,
    text,
    origin: { file: 'm.csv', line: 1 },
    audioPath: id,
    metrics: { 'rate.chars_per_sec': rate, 'signal.duration_sec': 3 },
    findings: [],
  };
}

describe('dataset analyzers', () => {
  const info = { name: 'test', language: 'en', expectsNormalizedText: true };

  it('robust z: a median/MAD score that one wild value does not drag', () => {
    const z = robustZ([10, 11, 12, 13, 14, 100]);
    expect(z[5]).toBeGreaterThan(30);
    expect(Math.max(...[...z].slice(0, 5).map(Math.abs))).toBeLessThan(1.5);
  });

  it('flags speaking-rate outliers within each speaker, not across speakers', () => {
    const acc = rateOutliers.create(rateOutliers.config.parse(undefined), facts(info));
    // A is a fast speaker, B a slow one; only B's 25 chars/s clip is out of character.
    for (let i = 0; i < 10; i++) acc.add(clip(`A${i}`, 'A', 18 + (i % 3) * 0.5));
    for (let i = 0; i < 10; i++) acc.add(clip(`B${i}`, 'B', 10 + (i % 3) * 0.5));
    acc.add(clip('B-odd', 'B', 17));
    const { clipFindings, summary } = acc.finish(metricStats({ exactUpTo: 1000 }));
    expect([...clipFindings].map((f) => f.clipId)).toEqual(['B-odd']);
    acc.close?.();
    expect(summary.speakersScored).toBe(2);
  });

  it('judges formats against the majority at the end, or the published one as they come, each clip once', () => {
    const pcm = (sampleRate: number, channels = 1) => ({ codec: 'pcm', sampleRate, channels, bitDepth: 16 });
    const clips = [pcm(22050), pcm(16000, 2), pcm(22050), pcm(22050), pcm(44100)].map((f, i) => ({
      ...clip(`c${i}`, 'A', 10),
      format: f,
    }));
    const run = (nominalFormat?: { sampleRate: number; channels: number; bitDepth: number }) => {
      const acc = format.create(
        format.config.parse(undefined),
        facts({ ...info, ...(nominalFormat ? { nominalFormat } : {}) }),
      );
      clips.forEach((c) => acc.add(c));
      const { summary, clipFindings } = acc.finish(metricStats({ exactUpTo: 10 }));
      const found = [...clipFindings].map((f) => `${f.clipId} ${f.code}`);
      acc.close?.();
      return { from: summary.expectedFrom, found };
    };
    expect(run()).toEqual({
      from: 'majority',
      found: ['c1 signal.sample_rate_mismatch', 'c1 signal.channels_mismatch', 'c4 signal.sample_rate_mismatch'],
    });
    expect(run({ sampleRate: 44100, channels: 1, bitDepth: 16 })).toEqual({
      from: 'corpus',
      found: [
        'c0 signal.sample_rate_mismatch',
        'c1 signal.sample_rate_mismatch',
        'c1 signal.channels_mismatch',
        'c2 signal.sample_rate_mismatch',
        'c3 signal.sample_rate_mismatch',
      ],
    });
  });

  it('scores speakers the same when their values are read back from disk in parts', () => {
    const run = (valuesPerPart?: number) => {
      const o = { metric: 'rate.chars_per_sec', code: 'rate.outlier', unit: 'chars/s', maxRobustZ: 3.5 };
      const outliers = speakerOutliers({ ...o, minClipsPerSpeaker: 8, valuesPerPart });
      // five speakers interleaved, each with a wild clip or two; one too small to score
      for (let i = 0; i < 200; i++) {
        const speaker = `S${i % 5}`;
        const wild = i % 37 === 0 ? 30 : 0;
        outliers.add(clip(`c${i}`, i % 50 === 4 ? 'tiny' : speaker, 10 + (i % 5) + ((i * 7) % 11) / 10 + wild));
      }
      const { clipFindings, ...rest } = outliers.finish();
      const findings = [...clipFindings];
      outliers.close();
      return { findings, ...rest };
    };
    const whole = run();
    const parts = run(7); // 200 records in 29 parts, each speaker's values gathered back in clip order
    expect(whole.findings.length).toBeGreaterThan(3);
    expect(whole.findings.map((f) => f.clipId)).toEqual(
      [...whole.findings.map((f) => f.clipId)].sort((a, b) => +a.slice(1) - +b.slice(1)),
    );
    expect(parts).toEqual(whole);
    expect(Object.keys(whole.perSpeaker)).toEqual(['S0', 'S1', 'S2', 'S3', 'tiny', 'S4']);
    expect(whole.scored).toBe(5);
  });

  it('counts vocabulary, type–token ratio and exact duplicate transcripts', () => {
    const acc = textDiversity.create(textDiversity.config.parse(undefined), facts(info));
    acc.add(clip('1', 'A', 1, 'The cat sat.'));
    acc.add(clip('2', 'A', 1, 'the  CAT sat.'));
    acc.add(clip('3', 'A', 1, 'A dog ran!'));
    const { summary, clipFindings } = acc.finish(metricStats({ exactUpTo: 1000 }));
    expect(summary.tokens).toBe(9);
    expect(summary.vocabulary).toBe(6);
    expect(summary.typeTokenRatio).toBeCloseTo(6 / 9, 6);
    expect([...clipFindings].map((f) => [f.clipId, f.message])).toEqual([['2', 'same transcript as 1']]);
    acc.close?.();
  });

  it('balance figures: even groups score 1 / 0 / 1, one dominant group does not', () => {
    expect(balanceOf([2, 2, 2, 2])).toEqual({ groups: 4, normalizedEntropy: 1, gini: 0, maxMinRatio: 1 });
    const skewed = balanceOf([97, 1, 1, 1]);
    expect(skewed.normalizedEntropy).toBeLessThan(0.2);
    expect(skewed.gini).toBeCloseTo(0.72, 2);
    expect(skewed.maxMinRatio).toBe(97);
  });

  it('coverage: hours per speaker, gender, accent and split; thin speakers listed', () => {
    const acc = coverage.create(coverage.config.parse(undefined), facts(info));
    const add = (id: string, speaker: string, gender: string, accent: string, seconds: number) =>
      acc.add({
        ...clip(id, speaker, 12),
        gender,
        accent,
        split: 'train',
        metrics: { 'signal.duration_sec': seconds },
      });
    for (let i = 0; i < 100; i++) add(`a${i}`, 'p1', 'F', 'Scottish', 9);
    for (let i = 0; i < 10; i++) add(`b${i}`, 'p2', 'M', 'English', 6);
    const { summary } = acc.finish(metricStats({ exactUpTo: 1000 }));
    expect(summary.speaker.groups).toEqual({ p1: { clips: 100, hours: 0.25 }, p2: { clips: 10, hours: 60 / 3600 } });
    expect(summary.gender.groups.F.hours).toBe(0.25);
    expect(summary.accent.balance.groups).toBe(2);
    expect(summary.split.groups.train.clips).toBe(110);
    expect(summary.speakersBelowMinimum).toEqual([{ speaker: 'p2', minutes: 1 }]);
  });
});

describe('phoneme coverage', () => {
  it('counts the inventory and the diphones per language and per speaker from the phonemes annotation', async () => {
    const { phonemeCoverage } = await import('../src/analyzers/dataset/phoneme-coverage.js');
    const acc = phonemeCoverage.create(
      phonemeCoverage.config.parse(undefined),
      facts({ name: 'test', language: 'en', expectsNormalizedText: true }),
    );
    const withIpa = (id: string, speaker: string, ipa: string, language?: string) => ({
      ...clip(id, speaker, 12),
      language,
      annotations: { 'phonemes.ipa': ipa },
    });
    acc.add(withIpa('1', 'A', 'k æ t'));
    acc.add(withIpa('2', 'B', 'k æ p'));
    acc.add(withIpa('3', 'C', 'l a', 'es'));
    acc.add(clip('4', 'A', 12)); // no phonemes (espeak absent for it): ignored
    const { summary } = acc.finish(metricStats({ exactUpTo: 1000 }));
    expect(summary.languages.en).toMatchObject({
      clips: 2,
      phonemeTokens: 6,
      phonemes: 4,
      diphones: 3,
      rareDiphones: 3,
    });
    expect(summary.languages.en.diphoneCoverage).toBeCloseTo(3 / 16, 9);
    expect(summary.languages.en.inventory).toEqual({ k: 2, æ: 2, t: 1, p: 1 });
    expect(summary.languages.es.phonemes).toBe(2);
    expect(summary.speakers.A).toEqual({ clips: 1, phonemes: 3, diphones: 2 });
  });
});
