import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { mls } from '../src/sources/mls.js';
import type { SourceItem } from '../src/sources/types.js';
import { REAL as REAL_ROOT, tempDir } from './helpers/run.js';
import { collectItems } from './helpers/collect.js';

const REAL = join(REAL_ROOT, 'mls');

const collect = (root: string) => collectItems(mls, root);

function write(root: string, rel: string, content: string | Buffer = ''): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

describe('MLS loader, real samples', () => {
  const spanishLine = readFileSync(join(REAL, 'spanish', 'train', 'transcripts.txt'), 'utf8').replace(/\n$/, '');
  const [spanishId, spanishText] = spanishLine.split('\t');

  for (const [label, root, audioPrefix, file] of [
    ['language folder', join(REAL, 'spanish'), 'train/', 'train/transcripts.txt'],
    ['train split folder', join(REAL, 'spanish', 'train'), '', 'transcripts.txt'],
  ] as const) {
    it(`reads the Spanish Opus clip with the root as ${label}`, async () => {
      expect(await mls.detect(root, {})).toBe(true);
      const { utterances, findings } = await collect(root);
      expect(findings).toEqual([]);
      expect(utterances).toHaveLength(1);
      const [u] = utterances;
      expect(spanishId).toBe('13697_11991_000000');
      expect(u).toMatchObject({
        id: spanishId,
        speaker: '13697',
        language: 'es',
        split: 'train',
        text: spanishText,
        origin: { file, line: 1 },
      });
      expect(u.audio).toMatchObject({
        kind: 'file',
        relPath: `${audioPrefix}audio/13697/11991/13697_11991_000000.opus`,
      });
      expect(u.audio.kind === 'file' && existsSync(u.audio.path)).toBe(true);
    });
  }

  it('lists the four Portuguese ids although no audio exists, and the audit reports each as audio.missing', async () => {
    const root = join(REAL, 'portuguese');
    expect(await mls.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(root);
    expect(findings).toEqual([]);
    expect(utterances.map((u) => u.id)).toEqual([
      '12710_10229_000000',
      '12249_10229_000001',
      '12249_10229_000002',
      '12249_10229_000003',
    ]);
    for (const u of utterances) {
      expect(u).toMatchObject({ language: 'pt', split: 'train' });
      expect(u.audio.kind === 'file' && existsSync(u.audio.path)).toBe(false);
    }
    const { report } = await audit({ source: root });
    expect(report.source.format).toBe('mls');
    expect(report.summary).toMatchObject({ listed: 4, analysed: 0, unreadable: 4, kept: 0, dropped: 4 });
    expect(report.findings['audio.missing']?.clips).toBe(4);
  });

  it('does not claim LJSpeech or a folder whose transcripts.txt has no MLS ids', async () => {
    expect(await mls.detect(resolve(REAL, '..', 'ljspeech'), {})).toBe(false);
    const root = tempDir();
    write(root, 'train/transcripts.txt', 'utt1\thello\n');
    expect(await mls.detect(root, {})).toBe(false);
  });
});

const METAINFO =
  [
    ' SPEAKER   |   GENDER   | PARTITION  |  MINUTES   |  BOOK ID   |             TITLE              |            CHAPTER            ',
    '   100     |     F      |   train    |   8.227    |    200     | Ein Buch | Kapitel 1',
    '   101     |     M      |    dev     |   2.000    |    201     | Zwei | Kapitel 2',
    '   100     |     F      |   train    |   3.100    |    202     | Drei | Kapitel 3',
  ].join('\n') + '\n';

/** A small FLAC-release language folder; the loader only checks files exist, so the audio is empty. */
function germanFixture(): string {
  const root = join(tempDir(), 'mls_german');
  write(root, 'metainfo.txt', METAINFO);
  write(
    root,
    'train/transcripts.txt',
    [
      '100_200_000000\tein satz',
      'no tab on this line',
      '100_200_000001\tzwei\tdrei',
      'abc_200_000002\tkeine zahl',
      '',
      '100_202_000003\tnoch ein satz',
      '999_200_000004\tunbekannter sprecher',
      '100_200_000005\tohne audio',
    ].join('\n') + '\n',
  );
  write(
    root,
    'train/segments.txt',
    '100_200_000000\thttp://x/a.mp3\t1.0\t3.5\n100_202_000003\thttp://x/b.mp3\t0.0\t2.0\n999_200_000004\thttp://x/a.mp3\t5\t9\n',
  );
  write(root, 'train/limited_supervision/9hr/handles.txt', '100_200_000000\n100_202_000003\n');
  write(root, 'train/limited_supervision/1hr/0/handles.txt', '100_202_000003\n');
  for (const id of ['100_200_000000', '100_202_000003', '999_200_000004']) {
    const [spk, book] = id.split('_');
    write(root, `train/audio/${spk}/${book}/${id}.flac`);
  }
  write(root, 'dev/transcripts.txt', '101_201_000000\tdev satz\r\n');
  write(root, 'dev/audio/101/201/101_201_000000.flac');
  return root;
}

describe('MLS loader, generated FLAC layout', () => {
  it('reads every split with speaker, gender from metainfo.txt, language from the folder, split, .flac paths', async () => {
    const root = germanFixture();
    expect(await mls.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(root);
    expect(
      utterances.map((u) => [u.id, u.speaker, u.gender, u.language, u.split, u.origin.file, u.origin.line]),
    ).toEqual([
      ['100_200_000000', '100', 'F', 'de', 'train', 'train/transcripts.txt', 1],
      ['100_202_000003', '100', 'F', 'de', 'train', 'train/transcripts.txt', 6],
      ['999_200_000004', '999', undefined, 'de', 'train', 'train/transcripts.txt', 7],
      ['100_200_000005', '100', 'F', 'de', 'train', 'train/transcripts.txt', 8],
      ['101_201_000000', '101', 'M', 'de', 'dev', 'dev/transcripts.txt', 1],
    ]);
    expect(utterances[0].audio).toMatchObject({ relPath: 'train/audio/100/200/100_200_000000.flac' });
    expect(utterances[3].audio).toMatchObject({ relPath: 'train/audio/100/200/100_200_000005.flac' });
    expect(utterances[4].text).toBe('dev satz');
    expect(findings.map((f) => [f.code, f.origin?.line])).toEqual([
      ['source.malformed_line', 2],
      ['source.malformed_line', 3],
      ['source.malformed_line', 4],
      ['source.unknown_speaker', 7],
    ]);
    for (const f of findings) expect(f.message).toMatch(new RegExp(`^train/transcripts\\.txt:${f.origin?.line}: `));
  });

  it('takes the split folder alone, language from its parent, metainfo.txt from the language folder', async () => {
    const { utterances } = await collect(join(germanFixture(), 'dev'));
    expect(
      utterances.map((u) => [u.id, u.gender, u.language, u.split, u.audio.kind === 'file' && u.audio.relPath]),
    ).toEqual([['101_201_000000', 'M', 'de', 'dev', 'audio/101/201/101_201_000000.flac']]);
  });

  it('writes filtered transcripts, segments and handles byte-identical, and copies metainfo.txt', async () => {
    const root = germanFixture();
    const out = tempDir();
    const kept = new Set(['100_202_000003', '999_200_000004', '101_201_000000']);
    const result = await mls.writeCurated({ root, outDir: out, isKept: (id) => kept.has(id), options: {} });
    expect(result).toMatchObject({ kept: 3, dropped: 2 });
    expect(result.files).toEqual([
      'train/transcripts.txt',
      'train/segments.txt',
      'train/limited_supervision/1hr/0/handles.txt',
      'train/limited_supervision/9hr/handles.txt',
      'dev/transcripts.txt',
      'metainfo.txt',
    ]);
    const text = (rel: string) => readFileSync(join(out, rel), 'utf8');
    expect(text('train/transcripts.txt')).toBe('100_202_000003\tnoch ein satz\n999_200_000004\tunbekannter sprecher\n');
    expect(text('train/segments.txt')).toBe(
      '100_202_000003\thttp://x/b.mp3\t0.0\t2.0\n999_200_000004\thttp://x/a.mp3\t5\t9\n',
    );
    expect(text('train/limited_supervision/9hr/handles.txt')).toBe('100_202_000003\n');
    expect(text('train/limited_supervision/1hr/0/handles.txt')).toBe('100_202_000003\n');
    expect(text('dev/transcripts.txt')).toBe('101_201_000000\tdev satz\r\n');
    expect(text('metainfo.txt')).toBe(METAINFO);
  });

  it('finds .opus audio in an Opus release and names the language from mls_<lang>_opus', async () => {
    const root = join(tempDir(), 'mls_polish_opus');
    write(root, 'test/transcripts.txt', '7_8_000001\tzdanie\n7_8_000002\tbrak pliku\n');
    write(root, 'test/audio/7/8/7_8_000001.opus');
    const { utterances } = await collect(root);
    expect(utterances.map((u) => [u.language, u.split, u.audio.kind === 'file' && u.audio.relPath])).toEqual([
      ['pl', 'test', 'test/audio/7/8/7_8_000001.opus'],
      ['pl', 'test', 'test/audio/7/8/7_8_000002.opus'],
    ]);
  });
});

describe('MLS --split', () => {
  it('reads only the named split of a language folder, and names the splits there when it is absent', async () => {
    const root = join(REAL_ROOT, 'mls', 'spanish');
    const items: SourceItem[] = [];
    for await (const item of mls.read(root, { split: 'train' })) items.push(item);
    expect(items.filter((i) => 'utterance' in i).length).toBe(1);
    await expect(async () => {
      for await (const _ of mls.read(root, { split: 'dev' })) void _;
    }).rejects.toThrow(/no split "dev"; found train/);
  });
});

describe('MLS, a folder of language folders', () => {
  /** mls_german/ (FLAC, with metainfo.txt) and mls_polish_opus/ side by side, plus a folder that is no language. */
  function multilingual(): string {
    const german = germanFixture();
    const root = dirname(german);
    write(root, 'mls_polish_opus/test/transcripts.txt', '7_8_000001\tzdanie\n');
    write(root, 'mls_polish_opus/test/audio/7/8/7_8_000001.opus');
    write(root, 'notes/train/transcripts.txt', '9_9_000001\tnot a language folder\n');
    return root;
  }

  it('reads every language under its own folder, with its language, genders and audio extension', async () => {
    const root = multilingual();
    expect(await mls.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(root);
    expect(
      utterances.map((u) => [u.id, u.gender, u.language, u.split, u.audio.kind === 'file' && u.audio.relPath]),
    ).toEqual([
      ['100_200_000000', 'F', 'de', 'train', 'mls_german/train/audio/100/200/100_200_000000.flac'],
      ['100_202_000003', 'F', 'de', 'train', 'mls_german/train/audio/100/202/100_202_000003.flac'],
      ['999_200_000004', undefined, 'de', 'train', 'mls_german/train/audio/999/200/999_200_000004.flac'],
      ['100_200_000005', 'F', 'de', 'train', 'mls_german/train/audio/100/200/100_200_000005.flac'],
      ['101_201_000000', 'M', 'de', 'dev', 'mls_german/dev/audio/101/201/101_201_000000.flac'],
      ['7_8_000001', undefined, 'pl', 'test', 'mls_polish_opus/test/audio/7/8/7_8_000001.opus'],
    ]);
    expect(findings[0].message).toMatch(/^mls_german\/train\/transcripts\.txt:2: /);
  });

  it('curates each language in its own folder, metainfo.txt included, and --split picks across languages', async () => {
    const root = multilingual();
    const out = tempDir();
    const kept = new Set(['100_202_000003', '7_8_000001']);
    const result = await mls.writeCurated({ root, outDir: out, isKept: (id) => kept.has(id), options: {} });
    expect(result).toMatchObject({ kept: 2, dropped: 4 });
    expect(result.files).toContain('mls_german/metainfo.txt');
    expect(readFileSync(join(out, 'mls_german/train/transcripts.txt'), 'utf8')).toBe('100_202_000003\tnoch ein satz\n');
    expect(readFileSync(join(out, 'mls_polish_opus/test/transcripts.txt'), 'utf8')).toBe('7_8_000001\tzdanie\n');
    expect(existsSync(join(out, 'notes'))).toBe(false);
    const ids: string[] = [];
    for await (const item of mls.read(root, { split: 'test' })) if ('utterance' in item) ids.push(item.utterance.id);
    expect(ids).toEqual(['7_8_000001']);
  });

  it('audits the real Spanish and Portuguese samples together as one multilingual set', async () => {
    const { report } = await audit({ source: REAL });
    expect(report.source.format).toBe('mls');
    // the Portuguese samples carry transcripts without audio: listed and reported missing, under their own folder
    expect(report.summary).toMatchObject({ listed: 5, analysed: 1, unreadable: 4 });
    expect(report.findings['audio.missing']?.worst.map((w) => w.origin?.file)).toEqual(
      Array(4).fill('portuguese/train/transcripts.txt'),
    );
    expect(Object.keys(report.dataset.coverage?.language.groups ?? {})).toEqual(['es']);
  });
});
