import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { nemo } from '../src/sources/nemo.js';
import { table } from '../src/sources/table.js';
import type { Finding } from '../src/types.js';
import { REAL as REAL_SAMPLES, run, tempDir } from './helpers/run.js';
import { collectItems } from './helpers/collect.js';
import { tiledLjSpeech } from './helpers/tiles.js';

const collect = collectItems;

function write(root: string, rel: string, content: string | Buffer = ''): string {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
  return join(root, rel);
}

/** The first `seconds` of a real LJSpeech clip at 16 kHz. */
function speech(root: string, rel: string, seconds: number): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  run('sox', [
    join(REAL_SAMPLES, 'ljspeech', 'wavs', 'LJ001-0001.wav'),
    '-r',
    '16000',
    join(root, rel),
    'trim',
    '0.05',
    String(seconds),
  ]);
}

const codesAndLines = (findings: Finding[]) => findings.map((f) => [f.code, f.origin?.line]);

function expectFileLinePrefix(findings: Finding[], file: string): void {
  for (const f of findings) expect(f.message.startsWith(`${file}:${f.origin?.line}: `)).toBe(true);
}

describe('NeMo manifest loader', () => {
  function fixture() {
    const root = tempDir();
    const lines = [
      JSON.stringify({ audio_filepath: 'wavs/a.wav', text: 'relative path', duration: 0.5, speaker: 7, lang: 'en' }),
      JSON.stringify({ audio_filepath: join(root, 'wavs', 'b.wav'), text: 'absolute inside', speaker: 'anna' }),
      JSON.stringify({ audio_filepath: '../x.wav', text: 'escapes' }),
      JSON.stringify({ audio_filepath: '/etc/passwd', text: 'escapes too' }),
      '{"audio_filepath": "wavs/a.wav", "text": ',
      JSON.stringify({ audio_filepath: 'wavs/a.wav', duration: 0.5 }),
      '',
      JSON.stringify({
        audio_filepath: 'long.wav',
        text: 'first half',
        offset: 0,
        duration: 1.5,
        pred_text: 'ignored',
      }),
      JSON.stringify({ audio_filepath: 'long.wav', text: 'second half', offset: 1.5, duration: 1.5 }),
      JSON.stringify({ audio_filepath: 'wavs/a.wav', text: 'own id', utt_id: 'utt-9', duration: '0.5' }),
      JSON.stringify({ audio_filepath: 'wavs/a.wav', text: 'own id', id: 'utt-10', normalized_text: 'own id' }),
    ];
    write(root, 'train_manifest.jsonl', lines.join('\n') + '\n');
    return { root, lines };
  }

  it('reads paths relative, absolute inside the root and segments, and refuses escapes and broken lines with file:line', async () => {
    const { root } = fixture();
    expect(await nemo.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(nemo, root);
    expect(utterances.map((u) => [u.id, u.text, u.speaker, u.origin.line])).toEqual([
      ['wavs/a.wav', 'relative path', '7', 1],
      ['wavs/b.wav', 'absolute inside', 'anna', 2],
      ['long.wav@0', 'first half', undefined, 8],
      ['long.wav@1.5', 'second half', undefined, 9],
      ['utt-10', 'own id', undefined, 11],
    ]);
    expect(utterances[0]).toMatchObject({
      language: 'en',
      audio: { kind: 'file', path: join(root, 'wavs', 'a.wav'), relPath: 'wavs/a.wav', durationSec: 0.5 },
    });
    expect(utterances[0].audio).not.toHaveProperty('offsetSec', expect.anything());
    expect(utterances[3].audio).toMatchObject({ relPath: 'long.wav', offsetSec: 1.5, durationSec: 1.5 });
    expect(utterances[4].normalizedText).toBe('own id');
    expect(codesAndLines(findings)).toEqual([
      ['source.path_escape', 3],
      ['source.path_escape', 4],
      ['source.malformed_line', 5],
      ['source.malformed_line', 6],
      ['source.malformed_line', 10],
    ]);
    expectFileLinePrefix(findings, 'train_manifest.jsonl');
    expect(findings[2].message).toMatch(/not valid JSON/);
    expect(findings[3].message).toMatch(/missing field "text"/);
    expect(findings[4].message).toMatch(/field "duration"/);
  });

  it('writes the kept lines byte-identical under the same name', async () => {
    const { root, lines } = fixture();
    const out = tempDir();
    const kept = new Set(['wavs/b.wav', 'long.wav@1.5', 'utt-10']);
    const result = await nemo.writeCurated({ root, outDir: out, isKept: (id) => kept.has(id), options: {} });
    expect(result).toEqual({ files: ['train_manifest.jsonl'], kept: 3, dropped: 2 });
    expect(readFileSync(join(out, 'train_manifest.jsonl'), 'utf8')).toBe(
      [lines[1], lines[8], lines[10]].join('\n') + '\n',
    );
  });

  it('picks the manifest the user names, and declines a folder holding several', async () => {
    const root = tempDir();
    write(root, 'train.jsonl', JSON.stringify({ audio_filepath: 'a.wav', text: 'a' }) + '\n');
    write(root, 'dev.json', JSON.stringify({ audio_filepath: 'b.wav', text: 'b' }) + '\n');
    write(root, 'tts-audit.config.json', '{"analyzers": {}}\n');
    expect(await nemo.detect(root, {})).toBe(false);
    expect(nemo.expects).toMatch(/several/);
    expect(await nemo.detect(root, { manifest: 'dev.json' })).toBe(true);
    const { utterances } = await collect(nemo, root, { manifest: 'dev.json' });
    expect(utterances.map((u) => u.id)).toEqual(['b.wav']);
    expect(await nemo.detect(root, { manifest: '../elsewhere.jsonl' })).toBe(false);
  });
});

describe('CSV/TSV manifest loader', () => {
  it('guesses columns in a CSV, unquotes a field with commas and quotes, spans a quoted newline, and flags bad rows', async () => {
    const root = tempDir();
    const rows = [
      '\uFEFFid,Path,Sentence,client_id,Gender,duration\r\n',
      'u1,clips/a.wav,"Hello, world",spk1,female,0.5\r\n',
      'u2,clips/b.wav,"She said ""hi""",spk2,,\r\n',
      'u3,clips/c.wav,too,many,fields,here,1\r\n',
      'u4,../../etc/passwd,escape,spk1,,\r\n',
      'u5,clips/d.wav,"two\r\n',
      'lines",spk3,male,abc\r\n',
      'u6,clips/e.wav,"line one\r\n',
      'line two",spk3,male,\r\n',
      '\r\n',
      ',clips/f.wav,no id column value,spk1,,\r\n',
    ];
    write(root, 'metadata.csv', rows.join(''));
    expect(await table.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(table, root);
    expect(utterances.map((u) => [u.id, u.text, u.speaker, u.gender, u.origin.line])).toEqual([
      ['u1', 'Hello, world', 'spk1', 'female', 2],
      ['u2', 'She said "hi"', 'spk2', undefined, 3],
      ['u6', 'line one\nline two', 'spk3', 'male', 8],
      ['clips/f.wav', 'no id column value', 'spk1', undefined, 11],
    ]);
    expect(utterances[0].audio).toMatchObject({
      kind: 'file',
      path: join(root, 'clips', 'a.wav'),
      relPath: 'clips/a.wav',
      durationSec: 0.5,
    });
    expect(codesAndLines(findings)).toEqual([
      ['source.malformed_line', 4],
      ['source.path_escape', 5],
      ['source.malformed_line', 6],
    ]);
    expectFileLinePrefix(findings, 'metadata.csv');
    expect(findings[0].message).toMatch(/expected 6 fields as in the header, found 7/);
    expect(findings[2].message).toMatch(/duration "abc" is not a number/);

    const out = tempDir();
    const kept = new Set(['u2', 'u6']);
    const result = await table.writeCurated({ root, outDir: out, isKept: (id) => kept.has(id), options: {} });
    expect(result).toEqual({ files: ['metadata.csv'], kept: 2, dropped: 2 });
    expect(readFileSync(join(out, 'metadata.csv'), 'utf8')).toBe(rows[0] + rows[2] + rows[7] + rows[8]);
  });

  it('reads a TSV with literal quotes, and an explicit column mapping that overrides the guesses', async () => {
    const root = tempDir();
    write(
      root,
      'data/train.tsv',
      [
        'file\ttext\twords\twho',
        'a.wav\tguessed\t"Quoted" words, kept as is\tx',
        'b.wav\tguessed\tbare\ty',
        'c.wav\tshort',
      ].join('\n') + '\n',
    );
    const guessed = await collect(table, root, { manifest: 'data/train.tsv' });
    expect(guessed.utterances.map((u) => [u.id, u.text])).toEqual([
      ['data/a.wav', 'guessed'],
      ['data/b.wav', 'guessed'],
    ]);
    const mapped = await collect(table, root, {
      manifest: 'data/train.tsv',
      columns: { text: 'words', speaker: 'WHO' },
    });
    expect(mapped.utterances.map((u) => [u.text, u.speaker, u.audio.kind === 'file' && u.audio.relPath])).toEqual([
      ['"Quoted" words, kept as is', 'x', 'data/a.wav'],
      ['bare', 'y', 'data/b.wav'],
    ]);
    expect(codesAndLines(mapped.findings)).toEqual([['source.malformed_line', 4]]);
    expect(mapped.findings[0].message).toMatch(/^data\/train\.tsv:4: expected 4 fields as in the header, found 2/);
  });

  it('sniffs a `|` delimiter in a .csv file', async () => {
    const root = tempDir();
    write(root, 'list.csv', 'audio|transcript|speaker_id\nx.wav|a, b|s1\n');
    const { utterances } = await collect(table, root);
    expect(utterances.map((u) => [u.id, u.text, u.speaker])).toEqual([['x.wav', 'a, b', 's1']]);
  });

  it('names the columns it found and how to map them when audio or text cannot be placed', async () => {
    const root = tempDir();
    write(root, 'odd.csv', 'clip,words\na.wav,hello\n');
    expect(await table.detect(root, {})).toBe(false);
    expect(await table.detect(root, { manifest: 'odd.csv' })).toBe(true);
    const failure = collect(table, root, { manifest: 'odd.csv' });
    await expect(failure).rejects.toThrow(
      /odd\.csv:1: no audio column .*no text column .*Columns found: "clip", "words"\. Map them with --columns audio=<column>,text=<column>/,
    );
    await expect(
      collect(table, root, { manifest: 'odd.csv', columns: { audio: 'clip', text: 'nope' } }),
    ).rejects.toThrow(/"nope" for text, but there is no such column/);
    const { utterances } = await collect(table, root, {
      manifest: 'odd.csv',
      columns: { audio: 'clip', text: 'words' },
    });
    expect(utterances.map((u) => [u.id, u.text])).toEqual([['a.wav', 'hello']]);
  });

  it('reports a quote that never closes once, and reads on', async () => {
    const root = tempDir();
    write(root, 'm.csv', ['audio,text', 'a.wav,"stray quote', 'b.wav,fine'].join('\n') + '\n');
    const { utterances, findings } = await collect(table, root);
    expect(utterances).toEqual([]);
    expect(findings.map((f) => f.message)).toEqual([
      'm.csv:2: a quoted field opened here never closes; lines 2–3 skipped',
    ]);
  });
});

describe('NeMo manifest through audit()', () => {
  it('audits a manifest passed as a file and curates exactly the kept lines', async () => {
    const root = tempDir();
    speech(root, 'wavs/short.wav', 0.5);
    speech(root, 'wavs/long.wav', 3);
    const lines = [
      JSON.stringify({ audio_filepath: 'wavs/short.wav', text: 'too short to keep', duration: 0.5 }),
      JSON.stringify({ audio_filepath: 'wavs/long.wav', text: 'the first half', offset: 0, duration: 1.5, speaker: 1 }),
      'not json',
      JSON.stringify({
        audio_filepath: 'wavs/long.wav',
        text: 'the second half',
        offset: 1.5,
        duration: 1.5,
        speaker: 2,
      }),
      JSON.stringify({ audio_filepath: 'wavs/gone.wav', text: 'no such file' }),
      JSON.stringify({ audio_filepath: '../outside.wav', text: 'escapes' }),
    ];
    write(root, 'manifest.jsonl', lines.join('\n') + '\n');
    const out = join(tempDir(), 'out');
    // Real speech (the start of an LJSpeech clip), so that only length and absence drop clips; the rate is not judged.
    const config = { severity: { 'rate.too_fast': 'off', 'rate.too_slow': 'off' } } as const;
    const { report, files } = await audit({ source: join(root, 'manifest.jsonl'), out, config });
    expect(report.source.format).toBe('nemo');
    expect(report.summary).toMatchObject({
      listed: 4,
      analysed: 3,
      unreadable: 1,
      kept: 2,
      dropped: 2,
      malformedLines: 1,
    });
    expect(report.findings['audio.missing']?.clips).toBe(1);
    expect(report.findings['signal.too_short']?.clips).toBe(1);
    expect(report.findings['source.path_escape']?.clips).toBe(1);
    expect(report.summary.hoursKept * 3600).toBeCloseTo(3, 2);
    expect(files).toContain(join('curated', 'manifest.jsonl'));
    expect(readFileSync(join(out, 'curated', 'manifest.jsonl'), 'utf8')).toBe(lines[1] + '\n' + lines[3] + '\n');
  });
});

describe('a manifest named on the command line', () => {
  it('wins over the layout of the folder it sits in', async () => {
    // An LJSpeech folder that also holds a NeMo manifest of two of its clips.
    const root = await tiledLjSpeech(tempDir(), 1);
    const lines = ['LJ001-0001_0', 'LJ001-0002_0'].map((id) =>
      JSON.stringify({ audio_filepath: `wavs/${id}.wav`, text: 'a transcript', duration: 2 }),
    );
    writeFileSync(join(root, 'subset.jsonl'), lines.join('\n') + '\n');
    const named = await audit({ source: join(root, 'subset.jsonl') });
    expect(named.report.source.format).toBe('nemo');
    expect(named.report.summary.listed).toBe(2);
    const folder = await audit({ source: root });
    expect(folder.report.source.format).toBe('ljspeech');
    expect(folder.report.summary.listed).toBe(7);
  });
});
