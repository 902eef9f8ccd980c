import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVctkSpeakers } from '../src/sources/speakers.js';
import type { SourceOptions } from '../src/sources/types.js';
import { vctk } from '../src/sources/vctk.js';
import type { Utterance } from '../src/types.js';
import { REAL, tempDir } from './helpers/run.js';
import { collectItems, writeTree } from './helpers/collect.js';

const V092 = join(REAL, 'vctk');
const V080 = join(REAL, 'vctk-0.80');

const collect = (root: string, options: SourceOptions = {}) => collectItems(vctk, root, options);

const relPath = (u: Utterance) => (u.audio.kind === 'file' ? u.audio.relPath : '');
const absPath = (u: Utterance) => (u.audio.kind === 'file' ? u.audio.path : '');
const fileText = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8').trim();

const write = writeTree;

describe('VCTK 0.92 real samples', () => {
  it('detects the release and reads mic1 by default: ids, stripped texts, speaker table, existing paths', async () => {
    expect(await vctk.detect(V092, {})).toBe(true);
    expect((await vctk.inspect!(V092, {})).title).toMatch(/0\.92/);
    const { utterances, findings } = await collect(V092);
    expect(findings).toEqual([]);
    expect(utterances.map((u) => [u.id, u.speaker, u.gender, u.accent, relPath(u)])).toEqual([
      ['p225_001', 'p225', 'F', 'English', 'wav48_silence_trimmed/p225/p225_001_mic1.flac'],
      ['p225_002', 'p225', 'F', 'English', 'wav48_silence_trimmed/p225/p225_002_mic1.flac'],
      ['p226_001', 'p226', 'M', 'English', 'wav48_silence_trimmed/p226/p226_001_mic1.flac'],
    ]);
    for (const u of utterances) {
      expect(u.origin).toEqual({ file: `txt/${u.speaker}/${u.id}.txt`, line: 1 });
      expect(u.text).toBe(fileText(V092, u.origin.file));
      expect(existsSync(absPath(u))).toBe(true);
      expect(u.language).toBe('en');
    }
    // p226_001.txt ends in two spaces before its newline.
    expect(readFileSync(join(V092, 'txt/p226/p226_001.txt'), 'utf8')).toBe('Please call Stella.  \n');
    expect(utterances[2].text).toBe('Please call Stella.');
  });

  it('reads mic2 under the plain id, and both mics under suffixed ids', async () => {
    const mic2 = await collect(V092, { mic: 'mic2' });
    expect(mic2.findings).toEqual([]);
    expect(mic2.utterances.map((u) => [u.id, relPath(u)])).toEqual([
      ['p225_001', 'wav48_silence_trimmed/p225/p225_001_mic2.flac'],
      ['p225_002', 'wav48_silence_trimmed/p225/p225_002_mic2.flac'],
      ['p226_001', 'wav48_silence_trimmed/p226/p226_001_mic2.flac'],
    ]);
    const both = await collect(V092, { mic: 'both' });
    expect(both.findings).toEqual([]);
    expect(both.utterances.map((u) => u.id)).toEqual([
      'p225_001_mic1',
      'p225_001_mic2',
      'p225_002_mic1',
      'p225_002_mic2',
      'p226_001_mic1',
      'p226_001_mic2',
    ]);
    for (const u of both.utterances) {
      expect(relPath(u)).toBe(`wav48_silence_trimmed/${u.speaker}/${u.id}.flac`);
      expect(existsSync(absPath(u))).toBe(true);
      expect(u.text).toBe(fileText(V092, u.origin.file));
    }
  });
});

describe('VCTK 0.80 real samples', () => {
  it('reads wav48/ with texts stripped (trailing spaces, no final newline, quotes kept) and accents from the table', async () => {
    expect(await vctk.detect(V080, {})).toBe(true);
    expect((await vctk.inspect!(V080, {})).title).toMatch(/0\.80/);
    const { utterances, findings } = await collect(V080, { mic: 'both' });
    expect(findings).toEqual([]);
    // Values as written in vctk-0.80/speaker-info.txt.
    expect(utterances.map((u) => [u.id, u.speaker, u.gender, u.accent])).toEqual([
      ['p225_003', 'p225', 'F', 'English'],
      ['p226_003', 'p226', 'M', 'English'],
      ['p230_023', 'p230', 'F', 'English'],
      ['p238_165', 'p238', 'F', 'NorthernIrish'],
      ['p255_367', 'p255', 'M', 'Scottish'],
      ['p301_102', 'p301', 'F', 'American'],
      ['p314_272', 'p314', 'F', 'SouthAfrican'],
      ['p376_193', 'p376', 'M', 'Indian'],
    ]);
    for (const u of utterances) {
      expect(relPath(u)).toBe(`wav48/${u.speaker}/${u.id}.wav`);
      expect(existsSync(absPath(u))).toBe(true);
      expect(u.text).toBe(fileText(V080, u.origin.file));
      expect(u.text).not.toMatch(/^\s|\s$/);
    }
    const text = (id: string) => utterances.find((u) => u.id === id)!.text;
    expect(text('p376_193')).toBe('"The modern approach will also be reflected in the terms of address."');
    expect(text('p301_102')).toBe('I am sure all schools would accept that.');
    expect(text('p226_003')).toBe(text('p225_003'));
  });

  it('parses the full 0.80 speaker table: ids without p, empty and multi-word regions', async () => {
    const { speakers, findings } = await readVctkSpeakers(
      join(V092, 'speaker-info.full.txt'),
      'speaker-info.full.txt',
      V092,
    );
    expect(findings).toEqual([]);
    expect(speakers.size).toBe(109);
    expect(speakers.get('p225')).toMatchObject({
      age: '23',
      gender: 'F',
      accent: 'English',
      region: 'Southern England',
      line: 2,
    });
    expect(speakers.get('p376')).toMatchObject({ gender: 'M', accent: 'Indian', region: undefined });
    expect(speakers.get('p248')?.region).toBeUndefined();
    expect(speakers.get('p280')).toMatchObject({ accent: 'Unknown', region: 'France' });
    expect(speakers.get('p301')?.region).toBe('North Carolina');
  });
});

describe('VCTK layout holes (generated)', () => {
  // Real 0.92 quirks: header with COMMENTS, `(...)` comments, an empty REGION, no final newline.
  const INFO_092 = [
    'ID  AGE  GENDER  ACCENTS  REGION COMMENTS ',
    'p225  23  F    English    Southern  England',
    'p315  23  M    American  Connecticut  (text unavailable)',
    'p362  29  F    American',
    'p280  25  F    Unknown  France (mic2 files unavailable)',
  ].join('\n');

  function corpus092(): string {
    const root = tempDir();
    write(root, {
      'speaker-info.txt': INFO_092,
      'txt/p225/p225_001.txt': 'One.\n',
      'txt/p225/p225_002.txt': '  Two.  ',
      'txt/p225/p225_003.txt': 'Transcript without audio.\n',
      'wav48_silence_trimmed/p225/p225_001_mic1.flac': 'x',
      'wav48_silence_trimmed/p225/p225_001_mic2.flac': 'x',
      'wav48_silence_trimmed/p225/p225_002_mic1.flac': 'x',
      'wav48_silence_trimmed/p225/p225_002_mic2.flac': 'x',
      'wav48_silence_trimmed/p225/._p225_001_mic1.flac': 'junk',
      'txt/p280/p280_001.txt': 'Mic one only.\n',
      'txt/p280/p280_002.txt': 'Mic one only again.\n',
      'wav48_silence_trimmed/p280/p280_001_mic1.flac': 'x',
      'wav48_silence_trimmed/p280/p280_002_mic1.flac': 'x',
      'wav48_silence_trimmed/p315/p315_001_mic1.flac': 'x',
      'wav48_silence_trimmed/p315/p315_001_mic2.flac': 'x',
      'wav48_silence_trimmed/p315/p315_002_mic1.flac': 'x',
      'wav48_silence_trimmed/p315/p315_002_mic2.flac': 'x',
      'txt/p999/p999_001.txt': 'Who am I?\n',
      'wav48_silence_trimmed/p999/p999_001_mic1.flac': 'x',
      'wav48_silence_trimmed/p999/p999_001_mic2.flac': 'x',
    });
    return root;
  }

  it('mic=both: p280-like missing mic2 and p315-like missing texts become one finding per speaker; mic1 still read', async () => {
    const root = corpus092();
    const { utterances, findings } = await collect(root, { mic: 'both' });
    expect(utterances.map((u) => u.id)).toEqual([
      'p225_001_mic1',
      'p225_001_mic2',
      'p225_002_mic1',
      'p225_002_mic2',
      // No recording at all: yielded, so the decoder reports audio.missing on the clip.
      'p225_003_mic1',
      'p225_003_mic2',
      'p280_001_mic1',
      'p280_002_mic1',
      'p999_001_mic1',
      'p999_001_mic2',
    ]);
    expect(existsSync(absPath(utterances[4]))).toBe(false);
    expect(utterances.find((u) => u.id === 'p225_002_mic1')?.text).toBe('Two.');
    expect(utterances.find((u) => u.id === 'p280_001_mic1')).toMatchObject({ gender: 'F', accent: 'Unknown' });
    expect(utterances.find((u) => u.id === 'p999_001_mic1')).toMatchObject({
      speaker: 'p999',
      gender: undefined,
      accent: undefined,
    });
    expect(findings.map((f) => [f.code, f.severity, f.origin?.file, f.value])).toEqual([
      ['source.missing_mic', 'warning', 'wav48_silence_trimmed/p280', 2],
      ['source.no_transcript', 'warning', 'wav48_silence_trimmed/p315', 4],
      ['source.unknown_speaker', 'info', 'speaker-info.txt', undefined],
    ]);
    expect(findings[0].message).toMatch(
      /^wav48_silence_trimmed\/p280: 2 mic2 files \(p280_001_mic2\.flac, p280_002_mic2\.flac\) not found, though their transcripts and mic1 exist; only mic1 is read$/,
    );
    expect(findings[1].message).toMatch(
      /^wav48_silence_trimmed\/p315: 4 audio files \(p315_001_mic1\.flac, p315_001_mic2\.flac, p315_002_mic1\.flac, p315_002_mic2\.flac\) have no transcript in txt\/p315\/; not audited$/,
    );
    expect(findings[2].message).toMatch(/^speaker-info\.txt: speaker p999 is not listed/);
  });

  it('mic=mic2 skips the p280-like speaker with a finding; mic=mic1 has no mic finding', async () => {
    const root = corpus092();
    const mic2 = await collect(root, { mic: 'mic2' });
    expect(mic2.utterances.map((u) => u.id)).toEqual(['p225_001', 'p225_002', 'p225_003', 'p999_001']);
    expect(mic2.findings.map((f) => f.code)).toEqual([
      'source.missing_mic',
      'source.no_transcript',
      'source.unknown_speaker',
    ]);
    expect(mic2.findings[0].message).toMatch(/not audited \(--mic mic1 reads them\)/);
    const mic1 = await collect(root);
    expect(mic1.utterances.map((u) => u.id)).toEqual([
      'p225_001',
      'p225_002',
      'p225_003',
      'p280_001',
      'p280_002',
      'p999_001',
    ]);
    expect(mic1.findings.map((f) => [f.code, f.value])).toEqual([
      ['source.no_transcript', 2],
      ['source.unknown_speaker', undefined],
    ]);
  });

  it('a single hole names the file itself', async () => {
    const root = tempDir();
    write(root, { 'txt/p225/p225_001.txt': 'One.', 'wav48/p225/p225_001.wav': 'x', 'wav48/p225/p225_002.wav': 'x' });
    const { utterances, findings } = await collect(root);
    expect(utterances.map((u) => u.id)).toEqual(['p225_001']);
    expect(findings.map((f) => [f.code, f.origin?.file])).toEqual([
      ['source.unknown_speaker', 'speaker-info.txt'],
      ['source.no_transcript', 'wav48/p225/p225_002.wav'],
    ]);
    expect(findings[0].message).toMatch(/^speaker-info\.txt: not found/);
    expect(findings[1].message).toMatch(/^wav48\/p225\/p225_002\.wav: no transcript in txt\/p225\//);
  });

  it('a long hole is counted in full and names only its first files', async () => {
    const root = tempDir();
    const files: Record<string, string> = { 'txt/p225/p225_001.txt': 'One.' };
    for (let i = 1; i <= 7; i++) files[`wav48/p315/p315_00${i}.wav`] = 'x';
    write(root, files);
    const { findings } = await collect(root);
    expect(findings[1]).toMatchObject({
      code: 'source.no_transcript',
      value: 7,
      unit: 'files',
      origin: { file: 'wav48/p315' },
    });
    expect(findings[1].message).toBe(
      'wav48/p315: 7 audio files (p315_001.wav, p315_002.wav, p315_003.wav, p315_004.wav, p315_005.wav, …) have no transcript in txt/p315/; not audited',
    );
  });

  it('parses the 0.92 table: p ids, (comment) split off, empty region, no final newline', async () => {
    const root = corpus092();
    const { speakers, findings } = await readVctkSpeakers(join(root, 'speaker-info.txt'), 'speaker-info.txt', root);
    expect(findings).toEqual([]);
    expect([...speakers.keys()]).toEqual(['p225', 'p315', 'p362', 'p280']);
    expect(speakers.get('p280')).toMatchObject({ region: 'France', comment: 'mic2 files unavailable' });
    expect(speakers.get('p315')).toMatchObject({
      accent: 'American',
      region: 'Connecticut',
      comment: 'text unavailable',
    });
    expect(speakers.get('p362')).toMatchObject({
      age: '29',
      gender: 'F',
      accent: 'American',
      region: undefined,
      line: 4,
    });
    const real = await readVctkSpeakers(join(V092, 'speaker-info.txt'), 'speaker-info.txt', V092);
    expect([...real.speakers.values()].map((s) => [s.id, s.age, s.gender, s.accent, s.region])).toEqual([
      ['p225', '23', 'F', 'English', 'Southern England'],
      ['p226', '22', 'M', 'English', 'Surrey'],
    ]);
  });

  it('reports a speaker-info row it cannot read with file:line', async () => {
    const root = tempDir();
    write(root, {
      'speaker-info.txt': 'ID  AGE  GENDER  ACCENTS  REGION  \n225  23\n',
      'txt/p225/p225_001.txt': 'One.',
      'wav48/p225/p225_001.wav': 'x',
    });
    const { findings } = await collect(root);
    expect(findings[0]).toMatchObject({ code: 'source.malformed_line', origin: { file: 'speaker-info.txt', line: 2 } });
    expect(findings[0].message).toMatch(/^speaker-info\.txt:2: /);
  });

  it('detect wants txt/ and an audio folder', async () => {
    const root = tempDir();
    write(root, { 'txt/p225/p225_001.txt': 'One.' });
    expect(await vctk.detect(root, {})).toBe(false);
    expect(await vctk.detect(join(REAL, 'libritts'), {})).toBe(false);
    expect(await vctk.detect(join(REAL, 'ljspeech'), {})).toBe(false);
  });

  it('writeCurated: counts the kept clips; speaker-info.txt keeps byte-identical rows of speakers left', async () => {
    const root = corpus092();
    const outDir = join(tempDir(), 'curated');
    const dropped = new Set(['p225_001_mic2', 'p225_003_mic1', 'p225_003_mic2', 'p999_001_mic1', 'p999_001_mic2']);
    const isKept = (id: string) => !dropped.has(id);
    const result = await vctk.writeCurated({ root, outDir, isKept, options: { mic: 'both' } });
    expect(result).toEqual({ files: ['speaker-info.txt'], kept: 5, dropped: 5 });
    // p315 and p362 keep no clip; p280, the last row, is copied without the newline it never had.
    const original = readFileSync(join(root, 'speaker-info.txt'), 'utf8').split(/(?<=\n)/);
    expect(original).toHaveLength(5);
    expect(readFileSync(join(outDir, 'speaker-info.txt'), 'utf8')).toBe(original[0] + original[1] + original[4]);

    const onlyP225 = await vctk.writeCurated({ root, outDir, isKept: (id) => id.startsWith('p225_00'), options: {} });
    expect(onlyP225).toMatchObject({ kept: 3, dropped: 3 });
    expect(readFileSync(join(outDir, 'speaker-info.txt'), 'utf8')).toBe(original[0] + original[1]);
  });
});
