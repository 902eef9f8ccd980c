import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textDiversity } from '../src/analyzers/dataset/text-diversity.js';
import { audit, renderMarkdown, reportSchema, type AuditReport } from '../src/index.js';
import { metricStats } from '../src/util/metric-stats.js';
import { editSimilarity } from '../src/text/edit-similarity.js';
import { distinctCounter } from '../src/text/hll.js';
import { hashString } from '../src/text/hash.js';
import { matchText } from '../src/text/minhash.js';
import { sentenceType } from '../src/text/sentences.js';
import type { ClipResult } from '../src/types.js';
import { facts } from './helpers/audio.js';
import { tempDir } from './helpers/run.js';

const REPO = resolve(import.meta.dirname, '..');
const info = { name: 'test', language: 'en', expectsNormalizedText: true };

type Extra = Partial<Pick<ClipResult, 'speaker' | 'language' | 'normalizedText'>>;
function clip(id: string, text: string, extra: Extra = {}): ClipResult {
  return { id, text, origin: { file: 'm.csv', line: 1 }, audioPath: id, metrics: {}, findings: [], ...extra };
}

function run(clips: ClipResult[], config: Record<string, unknown> = {}) {
  const acc = textDiversity.create(textDiversity.config.parse(config), facts(info));
  for (const c of clips) acc.add(c);
  // The findings stream from a spill file the accumulator removes on close: read them first.
  const outcome = acc.finish(metricStats({ exactUpTo: 1000 }));
  const clipFindings = [...outcome.clipFindings];
  acc.close?.();
  return { ...outcome, clipFindings };
}

const findingsOf = (clips: ClipResult[], config?: Record<string, unknown>) =>
  run(clips, config).clipFindings.map((f) => [f.clipId, f.code, f.message] as const);

describe('sentence types, from the final punctuation of the raw transcript', () => {
  it.each([
    ['The cat sat on the mat.', 'statement'],
    ['Is it raining?', 'question'],
    ['Stop right there!', 'exclamation'],
    ['and then the printers', 'other'],
    ['however,', 'other'],
    ['', 'other'],
    ['What?!', 'question'],
    ['Really…?', 'question'],
    ['Well...', 'statement'],
    ['He trailed off…', 'statement'],
    ['He said "Stop!"', 'exclamation'],
    ['"Really?" she asked.', 'statement'],
    ["She said 'no.'", 'statement'],
    ['(see the note below)', 'other'],
    ['¿Dónde está la biblioteca?', 'question'],
    ['¡Qué bonito es!', 'exclamation'],
    ['Oye, ¿vienes mañana?', 'question'],
    ['«¿Qué hora es?»', 'question'],
    ['¿Vienes mañana', 'question'],
    ['¡Hola a todos', 'exclamation'],
    ['你好吗？', 'question'],
  ])('%j is a %s', (text, type) => {
    expect(sentenceType(text)).toBe(type);
  });

  it('counts and shares them per dataset', () => {
    const { summary } = run([clip('1', 'A cat.'), clip('2', '¿Un gato?'), clip('3', 'Run!'), clip('4', 'So the')]);
    expect(summary.sentenceTypes.counts).toEqual({ statement: 1, question: 1, exclamation: 1, other: 1 });
    expect(summary.sentenceTypes.shares).toEqual({ statement: 0.25, question: 0.25, exclamation: 0.25, other: 0.25 });
  });
});

describe('near-duplicate transcripts', () => {
  const base = 'The quick brown fox jumps over the lazy dog near the river bank.';

  it('folds case, punctuation and spacing but keeps numbers', () => {
    expect(matchText('  Hello,  WORLD!  “It’s” 1455 ')).toBe('hello world it s 1455');
    expect(editSimilarity('the cat sat on the mat', 'the dog sat on the mat', 0.8)).toBeCloseTo(1 - 3 / 22, 9);
    expect(editSimilarity('the cat sat on the mat', 'an entirely different line', 0.8)).toBeNull();
  });

  it('flags one word changed, punctuation changed, case and punctuation changed; names the earlier clip and the similarity', () => {
    const { clipFindings, summary } = run([
      clip('base', base),
      clip('word', 'The quick brown fox leaps over the lazy dog near the river bank.'),
      clip('punct', 'The quick brown fox jumps over the lazy dog, near the river bank!'),
      clip('case', 'THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG NEAR THE RIVER BANK'),
      clip('short-a', 'the cat sat on the mat'),
      clip('short-b', 'The dog sat on the mat.'),
    ]);
    const near = clipFindings.filter((f) => f.code === 'text.near_duplicate');
    expect(near.map((f) => [f.clipId, f.message])).toEqual([
      ['word', 'nearly the transcript of base (edit similarity 0.952)'],
      ['punct', 'nearly the transcript of base (edit similarity 1.000)'],
      ['case', 'nearly the transcript of base (edit similarity 1.000)'],
      ['short-b', 'nearly the transcript of short-a (edit similarity 0.864)'],
    ]);
    expect(near[0]).toMatchObject({ value: 0.952, threshold: 0.8, origin: { file: 'm.csv', line: 1 } });
    expect(clipFindings.filter((f) => f.code === 'text.duplicate')).toEqual([]);
    expect(summary.nearDuplicateTranscripts).toBe(4);
    expect(summary.nearDuplicates).toEqual({ threshold: 0.8, indexedClips: 6, indexFull: false });
  });

  it('leaves unrelated sentences alone, and keeps exact repeats (case and spacing folded) as exact duplicates, not near', () => {
    expect(
      findingsOf([
        clip('1', base),
        clip('2', 'Printing, in the only sense with which we are at present concerned.'),
        clip('3', 'The quick answer is that nobody knows.'),
        clip('4', 'the quick  brown fox jumps over the LAZY dog near the river bank.'),
        clip('5', 'the cat sat on the mat'),
        clip('6', 'the cat sat on the hat and the rat ran off with the bat'),
      ]),
    ).toEqual([['4', 'text.duplicate', 'same transcript as 1']]);
  });

  it('follows the configured threshold', () => {
    const pair = [clip('a', 'the cat sat on the mat'), clip('b', 'the dog sat on the mat')];
    expect(findingsOf(pair, { nearDuplicateThreshold: 0.9 })).toEqual([]);
    expect(findingsOf(pair, { nearDuplicateThreshold: 0.85 })).toHaveLength(1);
  });

  it('is deterministic, and finds planted one-word edits among thousands of random sentences', () => {
    // mulberry32: a fixed pseudo-random corpus of 3,000 sentences from a 400-word vocabulary
    let seed = 42;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const words = Array.from({ length: 400 }, (_, i) =>
      hashString(`w${i}`)
        .toString(36)
        .slice(0, 3 + (i % 6)),
    );
    const pick = () => words[Math.floor(rnd() * words.length)];
    const texts: string[] = [];
    const planted = new Map<string, string>();
    for (let i = 0; i < 3000; i++) {
      if (i >= 100 && i % 50 === 0) {
        const j = Math.floor(rnd() * i);
        const w = texts[j].split(' ');
        w[Math.floor(rnd() * w.length)] = pick();
        texts.push(w.join(' ') + '.');
        planted.set(`c${i}`, `c${j}`);
      } else texts.push(Array.from({ length: 8 + Math.floor(rnd() * 12) }, pick).join(' '));
    }
    const clips = texts.map((t, i) => clip(`c${i}`, t));
    const first = run(clips);
    const second = run(clips);
    expect(second).toEqual(first);
    const found = new Map(
      first.clipFindings.filter((f) => f.code === 'text.near_duplicate').map((f) => [f.clipId, f.message]),
    );
    const expected = [...planted].filter(
      ([a, b]) => (editSimilarity(matchText(texts[+a.slice(1)]), matchText(texts[+b.slice(1)]), 0.8) ?? 0) >= 0.8,
    );
    expect(expected.length).toBeGreaterThan(40);
    for (const [a, b] of expected) expect(found.get(a), a).toMatch(new RegExp(`^nearly the transcript of ${b} `));
    // random sentences are not near one another: every finding is a planted one
    for (const id of found.keys()) expect(planted.has(id), id).toBe(true);
  });

  it('remembers at most maxIndexedClips clips, and still compares later clips with them', () => {
    const { clipFindings, summary } = run(
      [
        clip('1', base),
        clip('2', 'Something else entirely, said twice.'),
        clip('3', 'A third line.'),
        clip('4', 'A third line.'),
        clip('5', base.replace('jumps', 'leaps')),
      ],
      { maxIndexedClips: 2 },
    );
    expect(clipFindings.map((f) => [f.clipId, f.code])).toEqual([['5', 'text.near_duplicate']]);
    expect(summary.nearDuplicates).toMatchObject({ indexedClips: 2, indexFull: true });
  });
});

describe('unnormalized tokens and out-of-alphabet characters', () => {
  it('counts digit, symbol and abbreviation tokens in the training text, with the most frequent examples', () => {
    const { summary } = run(
      [
        clip('1', 'Mr. Smith paid $5 on the 3rd, Dr. Jones 5.', {
          normalizedText: 'Mr. Smith paid $5 on the 3rd, Dr. Jones 5.',
        }),
        clip('2', 'Mister Smith paid 5 dollars.', { normalizedText: 'Mister Smith paid five dollars.' }),
        clip('3', 'See St. Paul’s, etc. (No. 5 & 6)'),
        clip('4', 'I said no.'),
        clip('5', 'El Sr. García, etc.', { language: 'es' }),
        clip('6', 'The Bros. played.'),
      ],
      { extraAbbreviations: { en: ['Bros.'] } },
    );
    const u = summary.unnormalized;
    expect(u.digits).toEqual({
      tokens: 5,
      clips: 2,
      examples: [
        { token: '5', count: 2 },
        { token: '$5', count: 1 },
        { token: '3rd', count: 1 },
        { token: '6', count: 1 },
      ],
    });
    expect(u.symbols).toEqual({
      tokens: 2,
      clips: 2,
      examples: [
        { token: '$5', count: 1 },
        { token: '&', count: 1 },
      ],
    });
    expect(u.abbreviations.tokens).toBe(8);
    expect(u.abbreviations.clips).toBe(4);
    expect(u.abbreviations.examples).toEqual([
      { token: 'etc.', count: 2 },
      { token: 'Bros.', count: 1 },
      { token: 'Dr.', count: 1 },
      { token: 'Mr.', count: 1 },
      { token: 'No.', count: 1 },
      { token: 'Sr.', count: 1 },
      { token: 'St.', count: 1 },
    ]);
  });

  it('inventories characters outside each language’s alphabet: which, how often, in how many clips', () => {
    const { summary } = run([
      clip('1', 'A café in Zürich'),
      clip('2', 'Another café, another café'),
      clip('3', 'El niño come paella'),
      clip('4', 'Ça va, señor', { language: 'es' }),
      clip('5', 'Plain English text'),
    ]);
    expect(summary.outOfAlphabet.en).toEqual({
      clips: 3,
      distinct: 3,
      characters: [
        { char: 'é', code: 'U+00E9', count: 3, clips: 2 },
        { char: 'ñ', code: 'U+00F1', count: 1, clips: 1 },
        { char: 'ü', code: 'U+00FC', count: 1, clips: 1 },
      ],
    });
    expect(summary.outOfAlphabet.es).toEqual({
      clips: 1,
      distinct: 1,
      characters: [{ char: 'Ç', code: 'U+00C7', count: 1, clips: 1 }],
    });
  });

  it('uses the configured letters for the inventory and the clip findings alike', async () => {
    // Letters without "x": every transcript with an x is then out of alphabet, in both places.
    const letters = { en: 'A-WYZa-wyz' };
    const { report } = await audit({
      source: join(REPO, 'data-samples', 'ljspeech'),
      config: { analyzers: { text: { letters } } },
    });
    const inventory = (
      report.dataset.textDiversity as {
        outOfAlphabet: Record<string, { clips: number; characters: { char: string }[] }>;
      }
    ).outOfAlphabet.en;
    expect(inventory.characters.map((c) => c.char)).toContain('x');
    expect(report.findings['text.out_of_alphabet'].clips).toBe(inventory.clips);
    const { report: plain } = await audit({ source: join(REPO, 'data-samples', 'ljspeech') });
    expect(plain.findings['text.out_of_alphabet']?.clips ?? 0).toBeLessThan(inventory.clips);
  });
});

describe('per-speaker figures', () => {
  it('lists the top speakers by clips with vocabulary, TTR, sentence shares and duplicate counts', () => {
    const { summary } = run(
      [
        clip('a1', 'One two three.', { speaker: 'A' }),
        clip('a2', 'One two four?', { speaker: 'A' }),
        clip('a3', 'one two three.', { speaker: 'A' }),
        clip('a4', 'the cat sat on the mat', { speaker: 'A' }),
        clip('b1', 'The dog sat on the mat!', { speaker: 'B' }),
        clip('b2', 'Five six', { speaker: 'B' }),
        clip('c1', 'Seven.', { speaker: 'C' }),
      ],
      { topSpeakers: 2 },
    );
    expect(summary.speakers).toEqual({
      speakers: 3,
      approximate: false,
      top: [
        {
          speaker: 'A',
          clips: 4,
          tokens: 15,
          vocabulary: 9,
          typeTokenRatio: 9 / 15,
          sentenceTypes: { statement: 0.5, question: 0.25, exclamation: 0, other: 0.25 },
          duplicates: 1,
          nearDuplicates: 0,
        },
        {
          speaker: 'B',
          clips: 2,
          tokens: 8,
          vocabulary: 7,
          typeTokenRatio: 7 / 8,
          sentenceTypes: { statement: 0, question: 0, exclamation: 0.5, other: 0.5 },
          duplicates: 0,
          nearDuplicates: 1,
        },
      ],
    });
  });

  it('keeps state for at most maxTrackedSpeakers, and says when figures became approximate', () => {
    const clips = Array.from({ length: 10 }, (_, i) => clip(`x${i}`, `word ${i}`, { speaker: `s${i}` }));
    clips.push(clip('big1', 'big one', { speaker: 'big' }), clip('big2', 'big two', { speaker: 'big' }));
    const { summary } = run([clips[10], clips[11], ...clips.slice(0, 10)], { maxTrackedSpeakers: 4, topSpeakers: 1 });
    expect(summary.speakers.approximate).toBe(true);
    expect(summary.speakers.speakers).toBeNull();
    expect(summary.speakers.top).toMatchObject([{ speaker: 'big', clips: 2, tokens: 4, vocabulary: 3 }]);
  });

  it('counts distinct words exactly when few, and within a few per cent when many', () => {
    const count = (n: number) => {
      const d = distinctCounter();
      for (let i = 0; i < n; i++) {
        d.add(hashString(`w${i}`, 7));
        d.add(hashString(`w${i}`, 7));
      }
      return d.count();
    };
    expect([0, 1, 88, 256].map(count)).toEqual([0, 1, 88, 256]);
    expect(Math.abs(count(20_000) / 20_000 - 1)).toBeLessThan(0.06);
  });
});

describe('text figures of the demo audit (data-samples/ljspeech)', () => {
  it('writes a report that validates, with the new text section in report.json and report.md', async () => {
    const out = tempDir();
    const { report } = await audit({ source: join(REPO, 'data-samples', 'ljspeech'), out });
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const parsed = reportSchema.safeParse(json);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    const td = (json as AuditReport).dataset.textDiversity!;
    expect(td.sentenceTypes.counts.statement + td.sentenceTypes.counts.other).toBe(report.summary.analysed);
    expect(td.unnormalized.digits.examples).toEqual([{ token: '1455', count: 1 }]);
    expect(td.speakers.top.map((s) => [s.speaker, s.clips])).toEqual([['LJ', report.summary.analysed]]);
    // the unnormalized variant reads "1455" where its source reads "fourteen fifty-five": the same sentence
    expect(report.findings['text.near_duplicate'].worst.map((f) => [f.clipId, f.message])).toEqual([
      [
        'LJ001-0007_unnormalized',
        expect.stringMatching(/^nearly the transcript of LJ001-0007 \(edit similarity 0\.8\d\d\)$/),
      ],
    ]);
    expect(td.nearDuplicateTranscripts).toBe(1);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Text');
    expect(md).toContain('| sentence type | clips | share |');
    expect(md).toContain('| digits | 1 | 1 | 1455 ×1 |');
    expect(md).toMatch(/\| LJ \| \d+ \| \d+ \| 0\.\d+ \| \d+ \/ 0 \/ 0 \/ \d+ % \| \d+ \| 1 \|/);

    // the same report with a crafted text section: odd characters and speaker names render escaped, lists capped
    const crafted = run([
      clip('1', 'Café | bar?', { speaker: 'a|b' }),
      clip('2', 'Zero\u200bwidth <b>bold</b>!', { speaker: 'c' }),
      ...Array.from({ length: 30 }, (_, i) => clip(`s${i}`, `Speaker ${i} speaks.`, { speaker: `s${i}` })),
    ]).summary;
    const md2 = renderMarkdown({ ...report, dataset: { ...report.dataset, textDiversity: crafted } });
    expect(md2).toContain('| en | 2 | "é" U+00E9 ×1, U+200B ×1 |');
    expect(md2).toContain('| a\\|b | 1 |');
    expect(md2).toContain('| … 12 more speakers |');
    expect(md2).not.toContain('<b>');
  });
});
