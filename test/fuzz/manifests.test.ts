import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ljspeech } from '../../src/sources/ljspeech.js';
import { nemo } from '../../src/sources/nemo.js';
import { table } from '../../src/sources/table.js';
import { bounded, fuzzRun } from '../helpers/fuzz.js';
import { contentArb, lineArb, readAll, writeCorpus, type ReadOutcome } from '../helpers/fuzz-sources.js';
import { REAL, tempDir } from '../helpers/run.js';

// The single-manifest loaders (LJSpeech metadata.csv, NeMo JSON lines, CSV/TSV) under fuzzed manifests built from
// the real LJSpeech metadata. Each read must finish within the case bound with utterances and findings only,
// every finding naming its file and line, or refuse the whole file with an InputError that names it.

const work = tempDir('tts-audit-fuzz-manifests-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const root = join(work, 'corpus');

const LJ = readFileSync(join(REAL, 'ljspeech', 'metadata.csv'), 'utf8');
const ROWS = LJ.trim()
  .split('\n')
  .map((l) => l.split('|'));
const NEMO = ROWS.map(([id, text, norm], i) =>
  JSON.stringify({
    audio_filepath: `wavs/${id}.wav`,
    text,
    normalized_text: norm,
    duration: 1.9 + i,
    ...(i === 2 ? { offset: 0.5 } : {}),
  }),
).join('\n');
const CSV = [
  'audio,text,speaker,duration',
  ...ROWS.map(([id, text]) => `wavs/${id}.wav,"${text.replace(/"/g, '""')}",LJ,1.5`),
].join('\r\n');
const TSV = ['path\tsentence\tclient_id', ...ROWS.map(([id, text]) => `wavs/${id}.wav\t${text}\tLJ`)].join('\n');

/** A long line past the 1 MiB cap, between two good ones: a finding for it, the others read. */
const longLine = (good: string) => `${good}\n${'x'.repeat(1.5 * 2 ** 20)}\n${good}\n`;

function expectSome(outcomes: ReadOutcome[]) {
  // The fuzz must reach both sides: clips read, and lines refused with findings.
  expect(outcomes.some((o) => o.utterances > 0)).toBe(true);
  expect(outcomes.some((o) => o.findings.length > 0)).toBe(true);
}

describe('manifest loader fuzz', () => {
  it('LJSpeech metadata.csv', async () => {
    const outcomes: ReadOutcome[] = [];
    await fc.assert(
      fc.asyncProperty(contentArb(LJ), async (content) => {
        writeCorpus(root, { 'metadata.csv': content, 'wavs/': '' });
        outcomes.push(await readAll(ljspeech, root, {}, ['metadata.csv']));
      }),
      fuzzRun(150),
    );
    expectSome(outcomes);
    writeCorpus(root, { 'metadata.csv': longLine(LJ.split('\n')[0]), 'wavs/': '' });
    const long = await readAll(ljspeech, root, {}, ['metadata.csv']);
    expect([long.utterances, long.findings.map((f) => f.message)]).toEqual([
      2,
      ['metadata.csv:2: line longer than 1024 KiB (limits.maxManifestLineKB); skipped'],
    ]);
  });

  it('LJSpeech metadata.csv cut at every offset', async () => {
    const bytes = Buffer.from(LJ);
    writeCorpus(root, { 'wavs/': '' });
    let lines = 0;
    for (let at = 0; at <= bytes.length; at++) {
      writeFileSync(join(root, 'metadata.csv'), bytes.subarray(0, at));
      const o = await readAll(ljspeech, root, {}, ['metadata.csv']);
      lines = Math.max(lines, o.utterances + o.findings.length);
    }
    expect(lines).toBe(7);
  });

  it('NeMo JSON lines', async () => {
    const outcomes: ReadOutcome[] = [];
    const json = fc
      .array(fc.jsonValue(), { maxLength: 6 })
      .map((values) => Buffer.from(values.map((v) => JSON.stringify(v)).join('\n')));
    await fc.assert(
      fc.asyncProperty(fc.oneof(contentArb(NEMO), json), async (content) => {
        writeCorpus(root, { 'train.jsonl': content });
        outcomes.push(await readAll(nemo, root, { manifest: 'train.jsonl' }, ['train.jsonl']));
      }),
      fuzzRun(150),
    );
    expectSome(outcomes);
  });

  it('CSV and TSV with a header row', async () => {
    const outcomes: ReadOutcome[] = [];
    const table_ = (name: string, base: string) => contentArb(base).map((content) => ({ name, content }));
    // Quotes that open and never close, across many lines: the record cap must end them.
    const unclosed = fc.array(lineArb, { maxLength: 150 }).map((lines) => ({
      name: 'm.csv',
      content: Buffer.from(`audio,text\nwavs/a.wav,"${lines.join('\n')}`),
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(table_('m.csv', CSV), table_('m.tsv', TSV), unclosed), async ({ name, content }) => {
        writeCorpus(root, { [name]: content });
        outcomes.push(await readAll(table, root, { manifest: name }, [name]));
      }),
      fuzzRun(150),
    );
    expectSome(outcomes);
    expect(outcomes.some((o) => o.refused !== undefined)).toBe(true);
  });

  it('oversized cells, paths, keys and nesting are quoted short', async () => {
    const big = 'z'.repeat(100_000);
    const cases: [typeof ljspeech, string, string][] = [
      [ljspeech, 'metadata.csv', `${big}|text|text\nLJ001-0001|${big}|${big}`],
      [nemo, 'm.jsonl', JSON.stringify({ audio_filepath: `../${big}.wav`, text: 'a' })],
      [nemo, 'm.jsonl', JSON.stringify({ audio_filepath: 'a.wav', text: 'a', [big]: 1, duration: big })],
      [nemo, 'm.jsonl', `${'['.repeat(500_000)}${']'.repeat(500_000)}`],
      [nemo, 'm.jsonl', `{"audio_filepath": "a.wav", "text": "${big}`],
      [table, 'm.csv', `audio,text,offset\n../${big}.wav,a,0\na.wav,b,${big}`],
      [table, 'm.csv', `${Array.from({ length: 5000 }, (_, i) => `column${i}`).join(',')}\n1,2`],
      [table, 'm.csv', `audio,text\n${big},"${big}`],
    ];
    for (const [source, name, content] of cases) {
      writeCorpus(root, { [name]: content, 'wavs/': '' });
      await readAll(source, root, { manifest: name }, [name]);
    }
  });

  it('detection looks at the first lines only: a manifest of millions of blank lines does not hold it up', async () => {
    writeCorpus(root, { 'm.jsonl': '\n'.repeat(8 * 2 ** 20), 'n.csv': '\r\n'.repeat(4 * 2 ** 20) });
    for (const source of [nemo, table])
      expect(await bounded(source.name, () => source.detect(root, {}), { ms: 3000, memMB: 64 })).toBe(false);
  });
});
