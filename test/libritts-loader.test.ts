import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { libritts } from '../src/sources/libritts.js';
import { selectSource } from '../src/sources/index.js';
import { listNames, readLibriSpeakers } from '../src/sources/speakers.js';
import type { Utterance } from '../src/types.js';
import { REAL as REAL_ROOT, tempDir } from './helpers/run.js';
import { collectItems, writeTree } from './helpers/collect.js';

const REAL = join(REAL_ROOT, 'libritts');
const REAL_IDS = ['5639_40744_000000_000002', '8455_210777_000067_000000', '8463_294825_000043_000000'];

const collect = (root: string) => collectItems(libritts, root);

const relPath = (u: Utterance) => (u.audio.kind === 'file' ? u.audio.relPath : '');
const absPath = (u: Utterance) => (u.audio.kind === 'file' ? u.audio.path : '');

const write = writeTree;

describe('LibriTTS real samples', () => {
  it('reads the corpus root: ids, normalized.txt texts, speaker and chapter from the path, split', async () => {
    expect(await libritts.detect(REAL, {})).toBe(true);
    expect((await libritts.inspect!(REAL, {})).title).toBe('LibriTTS');
    const { utterances, findings } = await collect(REAL);
    // The samples ship no SPEAKERS.txt: one info finding says why clips carry no gender.
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['source.unknown_speaker', 'info']]);
    expect(findings[0].message).toMatch(/^SPEAKERS\.txt: not found/);
    expect(utterances.map((u) => u.id)).toEqual(REAL_IDS);
    for (const u of utterances) {
      const [speaker, chapter] = u.id.split('_');
      const dir = `test-clean/${speaker}/${chapter}`;
      expect(u).toMatchObject({ speaker, split: 'test-clean', language: 'en', gender: undefined });
      expect(relPath(u)).toBe(`${dir}/${u.id}.wav`);
      expect(existsSync(absPath(u))).toBe(true);
      expect(u.origin).toEqual({ file: `${dir}/${u.id}.normalized.txt`, line: 1 });
      const expected = readFileSync(join(REAL, u.origin.file), 'utf8').trim();
      expect(u.text).toBe(expected);
      expect(u.normalizedText).toBe(expected);
    }
    expect(utterances[2].text).toBe('KNOT one point one five miles per hour');
  });

  it('reads a single split folder as the root', async () => {
    const root = join(REAL, 'test-clean');
    expect(await libritts.detect(root, {})).toBe(true);
    const { utterances } = await collect(root);
    expect(utterances.map((u) => [u.id, u.split, relPath(u)])).toEqual(
      REAL_IDS.map((id) => [id, 'test-clean', `${id.split('_').slice(0, 2).join('/')}/${id}.wav`]),
    );
    for (const u of utterances) expect(existsSync(absPath(u))).toBe(true);
  });

  it('is recognised with --format libritts or auto even when the first speaker folders are empty', async () => {
    const root = tempDir();
    cpSync(join(REAL, 'test-clean'), join(root, 'test-clean'), { recursive: true });
    for (const empty of ['1000', '1001/1', '1002/77']) mkdirSync(join(root, 'test-clean', empty), { recursive: true });
    expect(await libritts.detect(root, {})).toBe(true);
    const { report } = await audit({ source: root, format: 'libritts' });
    expect(report.summary.listed).toBe(3);
  });

  it('does not claim VCTK, LJSpeech or MLS folders', async () => {
    for (const other of ['vctk', 'vctk-0.80', 'ljspeech', 'mls/spanish'])
      expect(await libritts.detect(join(REAL, other), {})).toBe(false);
  });

  it('reads a bounded part of each folder while detecting: a folder of many files is not listed whole', async () => {
    const dir = tempDir();
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(dir, `${i}`));
      writeFileSync(join(dir, `f${i}.wav`), '');
    }
    const all = await listNames(dir, 'dir');
    expect(all).toHaveLength(40);
    const some = await listNames(dir, 'dir', 10);
    expect(some.length).toBeLessThanOrEqual(10);
    for (const name of some) expect(all).toContain(name);
    // An LJSpeech root whose wavs/ holds more files than detection reads is still LJSpeech, and not LibriTTS.
    const lj = tempDir();
    mkdirSync(join(lj, 'wavs'));
    writeFileSync(join(lj, 'metadata.csv'), 'LJ001-0001|Hello there.|Hello there.\n');
    for (let i = 0; i < 12_000; i++) writeFileSync(join(lj, 'wavs', `LJ${i}.wav`), '');
    expect(await libritts.detect(lj, {})).toBe(false);
    expect((await selectSource(lj)).name).toBe('ljspeech');
  });
});

describe('LibriTTS layout quirks (generated)', () => {
  const SPEAKERS = [
    '; Some comment',
    ';ID  |SEX| SUBSET           |MINUTES| NAME',
    '14   | F | dev-clean        | 25.03 | Kristin LeMoine',
    '16   | F | dev-clean        | 25.11 | Alys AtteWater | with a bar',
    'garbage without separators',
  ].join('\n');
  const TSV =
    [
      '14_208_000001_000000\tMr. Smith paid $5.\tMister Smith paid five dollars.',
      '14_208_000002_000000\tonly two fields',
      '14_208_000003_000000\tNo wav for me.\tNo wav for me.',
      '',
      '14_208_000004_000000\tLast "row".\tLast "row".',
    ].join('\n') + '\n';

  function corpus(name = 'LibriTTS_R'): string {
    const root = join(tempDir(), name);
    write(root, {
      'SPEAKERS.txt': SPEAKERS,
      'dev-clean/14/208/14_208.trans.tsv': TSV,
      'dev-clean/14/208/._14_208.trans.tsv': 'junk\tjunk\tjunk\n',
      'dev-clean/14/208/14_208_000001_000000.wav': 'x',
      'dev-clean/14/208/14_208_000002_000000.wav': 'x',
      'dev-clean/14/208/14_208_000004_000000.wav': 'x',
      'dev-clean/14/208/14_208_000005_000000.wav': 'x',
      'dev-clean/14/208/._14_208_000001_000000.wav': 'junk',
      'dev-clean/16/300/16_300_000001_000000.wav': 'x',
      'dev-clean/16/300/16_300_000001_000000.original.txt': 'Chapter 1. ',
      'dev-clean/16/300/16_300_000001_000000.normalized.txt': 'Chapter one.\n',
      'test-clean/99/7/99_7_000000_000001.wav': 'x',
      'test-clean/99/7/99_7_000000_000001.normalized.txt': 'Hello.',
    });
    return root;
  }

  it('prefers trans.tsv (line-numbered), falls back to .txt files, and turns every hole into a finding', async () => {
    const root = corpus();
    expect(await libritts.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(root);
    expect((await libritts.inspect!(root, {})).title).toBe('LibriTTS-R');
    expect(utterances.map((u) => [u.id, u.split, u.speaker, u.gender, u.origin.file, u.origin.line])).toEqual([
      ['14_208_000001_000000', 'dev-clean', '14', 'F', 'dev-clean/14/208/14_208.trans.tsv', 1],
      // A row without wav is yielded: the decoder reports audio.missing on it.
      ['14_208_000003_000000', 'dev-clean', '14', 'F', 'dev-clean/14/208/14_208.trans.tsv', 3],
      ['14_208_000004_000000', 'dev-clean', '14', 'F', 'dev-clean/14/208/14_208.trans.tsv', 5],
      ['16_300_000001_000000', 'dev-clean', '16', 'F', 'dev-clean/16/300/16_300_000001_000000.original.txt', 1],
      ['99_7_000000_000001', 'test-clean', '99', undefined, 'test-clean/99/7/99_7_000000_000001.normalized.txt', 1],
    ]);
    expect(utterances[0]).toMatchObject({
      text: 'Mr. Smith paid $5.',
      normalizedText: 'Mister Smith paid five dollars.',
    });
    expect(utterances[2].text).toBe('Last "row".');
    expect(existsSync(absPath(utterances[1]))).toBe(false);
    expect(utterances[3]).toMatchObject({ text: 'Chapter 1.', normalizedText: 'Chapter one.' });
    expect(findings.map((f) => [f.code, f.origin?.file, f.origin?.line])).toEqual([
      ['source.malformed_line', 'SPEAKERS.txt', 5],
      ['source.malformed_line', 'dev-clean/14/208/14_208.trans.tsv', 2],
      // The malformed row's wav has no transcript left.
      ['source.no_transcript', 'dev-clean/14/208/14_208_000002_000000.wav', undefined],
      ['source.no_transcript', 'dev-clean/14/208/14_208_000005_000000.wav', undefined],
      ['source.unknown_speaker', 'SPEAKERS.txt', undefined],
    ]);
    expect(findings[1].message).toMatch(/^dev-clean\/14\/208\/14_208\.trans\.tsv:2: expected 3 tab-separated fields/);
    expect(findings[3].message).toMatch(/^dev-clean\/14\/208\/14_208_000005_000000\.wav: no transcript/);
    expect(findings[4].message).toMatch(/^SPEAKERS\.txt: speaker 99 /);
    for (const f of findings) expect(f.message).toMatch(/^[^ ]+(:\d+)?: /);
  });

  it('marks clips named in a bad-sample list, with the list line as origin', async () => {
    const root = corpus('some-copy');
    expect(await libritts.detect(root, {})).toBe(true);
    expect((await libritts.inspect!(root, {})).title).toBe('LibriTTS / LibriTTS-R');
    write(root, {
      'libritts_r_failed_speech_restoration_examples/dev-clean_bad_sample_list.txt':
        './dev-clean/16/300/16_300_000001_000000.wav\n./dev-clean/1/2/1_2_000000_000000.wav\n\nnot a path\n',
    });
    expect(await libritts.detect(root, {})).toBe(true);
    expect((await libritts.inspect!(root, {})).title).toBe('LibriTTS-R');
    const { findings, utterances } = await collect(root);
    const list = 'libritts_r_failed_speech_restoration_examples/dev-clean_bad_sample_list.txt';
    expect(findings.filter((f) => f.origin?.file === list).map((f) => [f.code, f.severity, f.origin?.line])).toEqual([
      ['source.malformed_line', 'error', 4],
    ]);
    // The listed clip carries the note itself, so a config can make it drop the clip like any finding.
    const noted = utterances.filter((u) => u.notes?.length);
    expect(noted.map((u) => [u.id, u.notes![0].code])).toEqual([['16_300_000001_000000', 'source.listed_bad']]);
    expect(noted[0].notes![0].message).toMatch(
      new RegExp(`^${list}:1: the corpus' own list of failed restorations names this clip`),
    );
  });

  it('reads SPEAKERS.txt beside a split folder given as the root', async () => {
    const root = join(corpus('LibriTTS'), 'dev-clean');
    expect(await libritts.detect(root, {})).toBe(true);
    expect((await libritts.inspect!(root, {})).title).toBe('LibriTTS');
    const { utterances, findings } = await collect(root);
    expect(utterances.map((u) => [u.id, u.gender, u.split, relPath(u)])[0]).toEqual([
      '14_208_000001_000000',
      'F',
      'dev-clean',
      '14/208/14_208_000001_000000.wav',
    ]);
    expect(findings[0]).toMatchObject({ code: 'source.malformed_line', origin: { file: '../SPEAKERS.txt', line: 5 } });
  });

  it('parses a LibriTTS-R speakers.tsv by its header names', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'speakers.tsv'),
      'READER\tGENDER\tSUBSET\n14\tfemale\tdev-clean\n15\tM\ttrain-clean-100\r\n',
    );
    const table = await readLibriSpeakers(join(dir, 'speakers.tsv'), 'speakers.tsv', dir);
    expect(table.findings).toEqual([]);
    expect([...table.speakers.values()].map((s) => [s.id, s.gender, s.line])).toEqual([
      ['14', 'F', 2],
      ['15', 'M', 3],
    ]);
  });

  it('writeCurated: each trans.tsv keeps byte-identical kept rows', async () => {
    const root = corpus();
    const outDir = join(tempDir(), 'curated');
    const isKept = (id: string) => id !== '14_208_000003_000000' && id !== '99_7_000000_000001';
    const result = await libritts.writeCurated({ root, outDir, isKept, options: {} });
    expect(result).toEqual({ files: ['dev-clean/14/208/14_208.trans.tsv'], kept: 3, dropped: 2 });
    const lines = TSV.split(/(?<=\n)/);
    expect(readFileSync(join(outDir, 'dev-clean/14/208/14_208.trans.tsv'), 'utf8')).toBe(lines[0] + lines[4]);
  });
});
