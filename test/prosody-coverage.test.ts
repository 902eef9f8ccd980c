import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { prosodyCoverage } from '../src/analyzers/dataset/prosody-coverage.js';
import { newTally } from '../src/analyzers/dataset/prosody-tally.js';
import { audit } from '../src/index.js';
import type { ClipResult } from '../src/types.js';
import { metricStats } from '../src/util/metric-stats.js';
import { facts } from './helpers/audio.js';
import { tempDir } from './helpers/run.js';

// The prosodyCoverage dataset analyzer on folded clip results, and the prosody sections of an audit's reports.

/** A clip result as the prosody clip analyzer leaves it: its metrics, final contour and monotone finding. */
function clip(i: number, speaker: string, text: string, spread: number, final: string, monotone = false): ClipResult {
  return {
    id: `c${i}`,
    text,
    speaker,
    origin: { file: `c${i}.txt` },
    audioPath: `c${i}.wav`,
    metrics: {
      'prosody.f0_spread_st': spread,
      'prosody.f0_range_st': 3 * spread,
      'prosody.energy_spread_db': 12,
      'prosody.syllable_rate': 4,
      'prosody.pace_spread': 0.1,
    },
    annotations: { 'prosody.final': final },
    findings: monotone ? [{ code: 'prosody.monotone', severity: 'info', message: 'flat' }] : [],
  };
}

function fold(clips: Iterable<ClipResult>) {
  const acc = prosodyCoverage.create(
    prosodyCoverage.config.parse(undefined),
    facts({ name: 'test', expectsNormalizedText: false }),
  );
  const stats = metricStats({ exactUpTo: 1000 });
  for (const c of clips) {
    acc.add(c);
    stats.push(c.metrics);
  }
  return acc.finish(stats).summary;
}

describe('prosody coverage over a set', () => {
  it('says plainly when questions are read flat and the voice barely moves', () => {
    const clips: ClipResult[] = [];
    for (let i = 0; i < 40; i++) clips.push(clip(i, 'A', 'Is it raining?', 1.1, i === 0 ? 'rise' : 'fall'));
    for (let i = 40; i < 60; i++) clips.push(clip(i, 'A', 'It is raining.', 1.1, 'fall', i < 45));
    const s = fold(clips);
    expect(s.contoursBySentence.question).toEqual({ rise: 1, fall: 39, flat: 0 });
    expect(s.questionsRisingShare).toBeCloseTo(1 / 40, 6);
    expect(s.verdicts[0]).toBe(
      '98 % of questions end falling or flat (39 of 40): a model trained on this set will read questions without their rise.',
    );
    expect(s.verdicts[1]).toBe('Median F0 spread 1.1 semitones (below 1.5): narrow, a monotone reading style.');
    expect(s.verdicts).toContain('5 of 60 clips read monotone (prosody.monotone).');
    expect(s.perSpeaker.A).toMatchObject({ clips: 60, questions: 40, questionsRising: 1, monotoneClips: 5 });
  });

  it('gives each speaker an expressiveness figure: pitch movement and contour variety', () => {
    const clips: ClipResult[] = [];
    const finals = ['rise', 'fall', 'flat'];
    for (let i = 0; i < 30; i++) clips.push(clip(i, 'lively', 'Fine.', 5, finals[i % 3]));
    for (let i = 30; i < 60; i++) clips.push(clip(i, 'flat', 'Fine.', 1, 'fall'));
    for (let i = 60; i < 63; i++) clips.push(clip(i, 'few', 'Fine.', 1, 'fall'));
    const s = fold(clips);
    expect(s.perSpeaker.lively.expressiveness).toBeCloseTo(100, 6);
    // Median spread 1 st lands in the 1–1.25 bin (centre 1.125): 0.5 × (1.125 / 4 + 0) = 14 %.
    expect(s.perSpeaker.flat.expressiveness).toBeCloseTo(100 * 0.5 * (1.125 / 4), 6);
    expect(s.perSpeaker.few.expressiveness).toBeNull();
    expect(s.verdicts[0]).toBe('No question with a measured ending: the set teaches no question intonation.');
  });

  it('keeps a fixed-size tally per speaker however many clips it folds', () => {
    const sizes = (t: ReturnType<typeof newTally>) => Object.values(t.histograms).map((h) => h.length);
    const before = sizes(newTally());
    const s = fold(
      (function* () {
        for (let i = 0; i < 20_000; i++) yield clip(i, `s${i % 4}`, i % 2 ? 'Yes?' : 'Yes.', 1 + (i % 7), 'rise');
      })(),
    );
    expect(Object.keys(s.perSpeaker)).toHaveLength(4);
    expect(s.perSpeaker.s1.clips).toBe(5000);
    expect(s.contoursBySentence.question.rise).toBe(10_000);
    expect(sizes(newTally())).toEqual(before);
  });
});

describe('prosody in the reports', () => {
  it('shows espeak-ng questions and statements in report.md and report.html', async () => {
    const root = tempDir('prosody-set-');
    const out = tempDir('prosody-out-');
    mkdirSync(join(root, 'wavs'));
    const texts = ['It is raining.', 'Is it raining?', 'The train leaves at noon.', 'The train leaves at noon?'];
    const lines = texts.map((text, i) => {
      execFileSync('espeak-ng', ['-v', 'en-us', '-w', join(root, 'wavs', `ES00${i}.wav`), text]);
      return `ES00${i}|${text}|${text}`;
    });
    writeFileSync(join(root, 'metadata.csv'), lines.join('\n') + '\n');
    const { report } = await audit({ source: root, out, jobs: 1 });
    const s = report.dataset.prosodyCoverage!;
    expect(s.contoursBySentence.question).toEqual({ rise: 2, fall: 0, flat: 0 });
    expect(s.contoursBySentence.statement).toEqual({ rise: 0, fall: 2, flat: 0 });
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Prosody\n\n- 100 % of questions end rising (2 of 2).');
    expect(md).toContain('| questions (?) | 2 | 100 % | 0 % | 0 % |');
    const { document } = parseHTML(readFileSync(join(out, 'report.html'), 'utf8'));
    const section = document.querySelector('section#prosody')!;
    expect(section.querySelectorAll('svg')).toHaveLength(2);
    expect(section.querySelector('svg[aria-label="final contours by sentence type"]')).not.toBeNull();
    const clips = readFileSync(join(out, 'clips.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(clips[1].metrics['prosody.final_change_st']).toBeGreaterThan(1);
    expect(clips[1].annotations['prosody.final']).toBe('rise');
  });
});
