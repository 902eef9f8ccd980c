import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeHubFixtures } from '../scripts/make-hub-fixtures.js';
import { audit } from '../src/index.js';
import { selectSource } from '../src/sources/index.js';
import type { SourceOptions } from '../src/sources/types.js';
import { collectItems } from './helpers/collect.js';
import { cli, REAL, run, SAMPLES, tempDir } from './helpers/run.js';

// curated/ is checked as its readers see it: every path in the tree and in each emitted manifest opens, tts-audit's
// own loaders read the folder back as the same layout with exactly the kept clips, and each manifest's fields are
// the documented ones of its format (NeMo's manifest keys; lhotse's Recording and SupervisionSegment, lhotse/audio/
// recording.py and lhotse/supervision.py).

const NEMO_KEYS = ['audio_filepath', 'text', 'duration', 'offset', 'normalized_text', 'speaker', 'lang'];
const RECORDING_KEYS = ['id', 'sources', 'sampling_rate', 'num_samples', 'duration', 'channel_ids'];
const SOURCE_KEYS = ['type', 'channels', 'source'];
const SUPERVISION_KEYS = [
  'id',
  'recording_id',
  'start',
  'duration',
  'channel',
  'text',
  'language',
  'speaker',
  'gender',
];
const SUPERVISION_OPTIONAL = new Set(['language', 'speaker', 'gender', 'custom']);

type Json = Record<string, unknown>;
const jsonl = (text: string): Json[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);
const gz = (path: string) => jsonl(gunzipSync(readFileSync(path)).toString('utf8'));

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks); records end in CRLF. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted || (ch !== ',' && ch !== '\r')) cell += ch;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++; // the \n of \r\n
    }
  }
  return rows;
}

/** Every entry under `dir`: links must lead to a file (statSync follows them and throws on a dangling one). */
function expectTreeResolves(dir: string): { links: number; files: number } {
  let links = 0;
  let files = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    if (lstatSync(path).isSymbolicLink()) {
      links += 1;
      expect(statSync(path).isFile(), path).toBe(true);
    } else if (e.isFile()) files += 1;
  }
  return { links, files };
}

/** Samples of an audio file as sox counts them. */
const samplesOf = (path: string) => Number(run('soxi', ['-s', path]).trim());

interface Case {
  name: string;
  /** The dataset, copied to a temporary folder and damaged so that one clip drops. */
  fixture: string;
  /** Builds the dataset in the given folder instead of copying `fixture` (layouts the real samples lack audio for). */
  build?: (root: string) => void;
  damage: string;
  format: string;
  options?: SourceOptions;
}

const CASES: Case[] = [
  { name: 'LJSpeech', fixture: 'ljspeech', damage: 'wavs/LJ001-0003.wav', format: 'ljspeech' },
  {
    name: 'VCTK 0.92, both microphones',
    fixture: 'vctk',
    damage: 'wav48_silence_trimmed/p225/p225_002_mic2.flac',
    format: 'vctk',
    options: { mic: 'both' },
  },
  { name: 'VCTK 0.80', fixture: 'vctk-0.80', damage: 'wav48/p230/p230_023.wav', format: 'vctk' },
  {
    name: 'LibriTTS',
    fixture: 'libritts',
    damage: 'test-clean/8463/294825/8463_294825_000043_000000.wav',
    format: 'libritts',
  },
  {
    name: 'MLS (FLAC release, built from real LJSpeech clips)',
    fixture: 'mls_english',
    build: mlsFromLjSpeech,
    damage: 'train/audio/10/20/10_20_000002.flac',
    format: 'mls',
  },
];

/** An MLS language folder: three real clips as 16 kHz FLAC under train/audio/<spk>/<book>/, their transcripts. */
function mlsFromLjSpeech(root: string): void {
  const lines: string[] = [];
  ['LJ001-0002', 'LJ001-0004', 'LJ001-0006'].forEach((lj, i) => {
    const id = `10_20_00000${i + 1}`;
    const rel = `train/audio/10/20/${id}.flac`;
    mkdirSync(join(root, 'train/audio/10/20'), { recursive: true });
    run('sox', [join(REAL, 'ljspeech', 'wavs', `${lj}.wav`), '-r', '16000', join(root, rel)]);
    const text = readFileSync(join(REAL, 'ljspeech', 'metadata.csv'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(lj))!
      .split('|')[2];
    lines.push(`${id}\t${text.toLowerCase().replace(/[^a-z ]/g, '')}`);
  });
  writeFileSync(join(root, 'train/transcripts.txt'), lines.join('\n') + '\n');
  writeFileSync(
    join(root, 'metainfo.txt'),
    'SPEAKER | GENDER | PARTITION | MINUTES | BOOK ID\n10 | F | train | 1.0 | 20\n',
  );
}

async function curate(c: Case, extra: Json = {}) {
  const root = join(tempDir(), c.fixture);
  if (c.build) c.build(root);
  else cpSync(join(REAL, c.fixture), root, { recursive: true });
  writeFileSync(join(root, c.damage), 'not audio');
  const out = tempDir();
  await audit({
    source: root,
    out,
    jobs: 1,
    sourceOptions: c.options,
    config: { curated: { emit: ['nemo', 'lhotse', 'csv'], ...extra } },
  });
  const listed = jsonl(readFileSync(join(out, 'clips.jsonl'), 'utf8')).map((l) => l.id as string);
  const dropped = jsonl(readFileSync(join(out, 'curated', 'dropped.jsonl'), 'utf8')).map((l) => l.id as string);
  const kept = listed.filter((id) => !dropped.includes(id));
  return { root, out, curated: join(out, 'curated'), kept, dropped };
}

describe.each(CASES)('curated/ of $name', (c) => {
  it('is the layout tts-audit reads back with exactly the kept clips, every path resolving', async () => {
    const { curated, kept, dropped } = await curate(c);
    expect(dropped.length).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(0);
    const { links } = expectTreeResolves(curated);
    expect(links).toBe(kept.length);
    const source = await selectSource(curated, 'auto', c.options ?? {});
    expect(source.name).toBe(c.format);
    const { utterances } = await collectItems(source, curated, c.options);
    expect(utterances.map((u) => u.id)).toEqual(kept);
    for (const u of utterances) {
      expect(u.audio.kind === 'file' && lstatSync(u.audio.path).isSymbolicLink()).toBe(true);
      expect(u.text.length).toBeGreaterThan(0);
    }
  });

  it('emits NeMo, lhotse and CSV manifests field by field, every audio path resolving from curated/', async () => {
    const { curated, kept, dropped } = await curate(c);
    const resolves = (p: string) => statSync(isAbsolute(p) ? p : join(curated, p)).isFile();

    const nemo = jsonl(readFileSync(join(curated, 'nemo.jsonl'), 'utf8'));
    expect(nemo).toHaveLength(kept.length);
    for (const line of nemo) {
      for (const key of Object.keys(line)) expect(NEMO_KEYS).toContain(key);
      expect(typeof line.audio_filepath).toBe('string');
      expect(resolves(line.audio_filepath as string)).toBe(true);
      expect(typeof line.text).toBe('string');
      expect(line.duration as number).toBeGreaterThan(0);
      if ('offset' in line) expect(line.offset as number).toBeGreaterThanOrEqual(0);
    }
    const nemoDropped = jsonl(readFileSync(join(curated, 'nemo.dropped.jsonl'), 'utf8'));
    expect(nemoDropped.map((d) => d.id)).toEqual(dropped);
    const codes = nemoDropped.flatMap((d) => (d.reasons as { code: string }[]).map((r) => r.code));
    expect(codes.some((code) => code.startsWith('audio.'))).toBe(true);

    const recordings = gz(join(curated, 'recordings.jsonl.gz'));
    const supervisions = gz(join(curated, 'supervisions.jsonl.gz'));
    expect(supervisions.map((s) => s.id)).toEqual(kept);
    const byId = new Map(recordings.map((r) => [r.id, r]));
    expect(byId.size).toBe(recordings.length);
    for (const r of recordings) {
      expect(Object.keys(r).sort()).toEqual([...RECORDING_KEYS].sort());
      const sources = r.sources as Json[];
      expect(sources).toHaveLength(1);
      expect(Object.keys(sources[0]).sort()).toEqual([...SOURCE_KEYS].sort());
      expect(sources[0].type).toBe('file');
      expect(sources[0].channels).toEqual(r.channel_ids);
      const path = sources[0].source as string;
      expect(resolves(path)).toBe(true);
      // lhotse checks num_samples against the file and duration against num_samples / sampling_rate.
      expect(r.num_samples).toBe(samplesOf(join(curated, path)));
      expect(r.sampling_rate).toBe(Number(run('soxi', ['-r', join(curated, path)]).trim()));
      expect(r.duration).toBeCloseTo((r.num_samples as number) / (r.sampling_rate as number), 9);
    }
    for (const s of supervisions) {
      for (const key of Object.keys(s)) expect([...SUPERVISION_KEYS, 'custom']).toContain(key);
      for (const key of SUPERVISION_KEYS) if (!SUPERVISION_OPTIONAL.has(key)) expect(s).toHaveProperty(key);
      const r = byId.get(s.recording_id)!;
      expect(r).toBeDefined();
      expect(s.channel).toBe(0);
      expect(s.start as number).toBeGreaterThanOrEqual(0);
      expect((s.start as number) + (s.duration as number)).toBeLessThanOrEqual((r.duration as number) + 1e-6);
      expect(typeof s.text).toBe('string');
    }
    expect(gz(join(curated, 'dropped.jsonl.gz')).map((d) => d.id)).toEqual(dropped);

    const [header, ...rows] = csvRows(readFileSync(join(curated, 'clips.csv'), 'utf8'));
    expect(header).toEqual([
      'id',
      'audio',
      'text',
      'normalized_text',
      'speaker',
      'gender',
      'language',
      'offset',
      'duration',
    ]);
    expect(rows.map((r) => r[0])).toEqual(kept);
    for (const r of rows) {
      expect(r).toHaveLength(header.length);
      expect(resolves(r[1])).toBe(true);
      expect(Number(r[8])).toBeGreaterThan(0);
    }
    const [droppedHeader, ...droppedRows] = csvRows(readFileSync(join(curated, 'dropped.csv'), 'utf8'));
    expect(droppedHeader).toEqual(['id', 'file', 'line', 'duration', 'codes', 'reasons']);
    expect(droppedRows.map((r) => r[0])).toEqual(dropped);
  });
});

describe('curated/ of LibriTTS', () => {
  it('carries each kept clip’s .normalized.txt beside its wav, and nothing of the dropped one', async () => {
    const { curated, kept } = await curate(CASES[3]);
    for (const id of kept) {
      const [spk, chapter] = id.split('_');
      const text = `test-clean/${spk}/${chapter}/${id}.normalized.txt`;
      expect(readFileSync(join(curated, text), 'utf8')).toBe(readFileSync(join(REAL, 'libritts', text), 'utf8'));
    }
    expect(existsSync(join(curated, 'test-clean/8463'))).toBe(false);
  });
});

describe('curated/ of VCTK', () => {
  it('keeps one transcript for both microphones and drops the speaker rows of no kept clip', async () => {
    const { curated } = await curate(CASES[1]);
    expect(readdirSync(join(curated, 'txt', 'p225')).sort()).toEqual(['p225_001.txt', 'p225_002.txt']);
    expect(readFileSync(join(curated, 'txt/p226/p226_001.txt'), 'utf8')).toBe(
      readFileSync(join(REAL, 'vctk/txt/p226/p226_001.txt'), 'utf8'),
    );
    expect(existsSync(join(curated, 'wav48_silence_trimmed/p225/p225_002_mic2.flac'))).toBe(false);
    expect(existsSync(join(curated, 'speaker-info.txt'))).toBe(true);
  });
});

/** The span sox cuts with `trim S =E` (seconds as trims.jsonl gives them), as raw samples and a count. */
function soxTrim(from: string, startSec: number, endSec: number, ext: string) {
  const ref = join(tempDir(), `ref${ext}`);
  run('sox', [from, ref, 'trim', String(startSec), `=${endSec}`]);
  return ref;
}
const rawOf = (path: string) => execFileSync('sox', [path, '-t', 'raw', '-'], { maxBuffer: 1 << 28 });
const soxi = (flag: string, path: string) => run('soxi', [flag, path]).trim();

describe('--apply-trims', () => {
  it('writes trimmed WAV and FLAC copies whose length and samples are sox trim’s, same rate and bit depth', async () => {
    const root = join(tempDir(), 'vctk');
    cpSync(join(REAL, 'vctk'), root, { recursive: true });
    const flac = 'wav48_silence_trimmed/p225/p225_001_mic1.flac';
    // Two seconds of room noise-free silence each side: a trim the audit suggests and keeps the clip for.
    run('sox', [join(REAL, 'vctk', flac), join(root, flac), 'pad', '2', '2']);
    const out = tempDir();
    await audit({ source: root, out, jobs: 1, config: { curated: { applyTrims: true, emit: ['nemo'] } } });
    const curated = join(out, 'curated');
    const trims = jsonl(readFileSync(join(curated, 'trims.jsonl'), 'utf8'));
    const trim = trims.find((t) => t.id === 'p225_001')!;
    expect(trim).toMatchObject({ applied: true });
    const copy = join(curated, flac);
    expect(lstatSync(copy).isFile()).toBe(true);
    const ref = soxTrim(join(root, flac), trim.startSec as number, trim.endSec as number, '.flac');
    expect(soxi('-s', copy)).toBe(soxi('-s', ref));
    expect(rawOf(copy).equals(rawOf(ref))).toBe(true);
    for (const flag of ['-r', '-b', '-c', '-t']) expect(soxi(flag, copy)).toBe(soxi(flag, join(root, flac)));
    // The manifest gives the copy whole: no offset, its own length.
    const line = jsonl(readFileSync(join(curated, 'nemo.jsonl'), 'utf8')).find((l) =>
      (l.audio_filepath as string).endsWith('p225_001_mic1.flac'),
    )!;
    expect(line.offset).toBeUndefined();
    expect(line.duration).toBeCloseTo(Number(soxi('-s', copy)) / 48000, 6);
  });

  it('cuts WAV sample-exactly and leaves untrimmed clips as links (the demo set’s padded clip)', async () => {
    const out = tempDir();
    await audit({ source: SAMPLES, out, jobs: 1, config: { curated: { applyTrims: true, emit: ['lhotse'] } } });
    const curated = join(out, 'curated');
    const trims = jsonl(readFileSync(join(curated, 'trims.jsonl'), 'utf8'));
    expect(trims.length).toBeGreaterThan(0);
    for (const t of trims) {
      const rel = `wavs/${t.id as string}.wav`;
      const copy = join(curated, rel);
      expect(lstatSync(copy).isSymbolicLink()).toBe(false);
      const ref = soxTrim(join(SAMPLES, rel), t.startSec as number, t.endSec as number, '.wav');
      expect(soxi('-s', copy)).toBe(soxi('-s', ref));
      expect(rawOf(copy).equals(rawOf(ref))).toBe(true);
      for (const flag of ['-r', '-b', '-c', '-e']) expect(soxi(flag, copy)).toBe(soxi(flag, join(SAMPLES, rel)));
    }
    const trimmed = new Set(trims.map((t) => t.id));
    const links = readdirSync(join(curated, 'wavs')).filter((f) =>
      lstatSync(join(curated, 'wavs', f)).isSymbolicLink(),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const f of links) expect(trimmed.has(f.replace(/\.wav$/, ''))).toBe(false);
  });

  it('cuts a NeMo line that names a whole file, and leaves one whose duration a copy would contradict', async () => {
    const root = tempDir();
    const padded = readFileSync(join(SAMPLES, 'wavs', 'LJ001-0002_padded.wav'));
    writeFileSync(join(root, 'a.wav'), padded);
    writeFileSync(join(root, 'b.wav'), padded);
    const text = 'in being comparatively modern.';
    const lines = [
      { audio_filepath: 'a.wav', text },
      { audio_filepath: 'b.wav', text, duration: Number(soxi('-D', join(root, 'b.wav'))) },
    ];
    writeFileSync(join(root, 'm.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join(''));
    const out = tempDir();
    await audit({ source: join(root, 'm.jsonl'), out, jobs: 1, config: { curated: { applyTrims: true } } });
    const curated = join(out, 'curated');
    const trims = new Map(jsonl(readFileSync(join(curated, 'trims.jsonl'), 'utf8')).map((t) => [t.id, t]));
    expect(trims.get('a.wav')).toMatchObject({ applied: true });
    expect(trims.get('b.wav')).toMatchObject({ applied: false, why: expect.stringMatching(/offset or duration/) });
    expect(lstatSync(join(curated, 'a.wav')).isFile()).toBe(true);
    expect(lstatSync(join(curated, 'b.wav')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(curated, 'm.jsonl'), 'utf8')).toBe(readFileSync(join(root, 'm.jsonl'), 'utf8'));
  });

  it('without it, a trim is the emitted offset and duration, and the audio stays a link', async () => {
    const out = tempDir();
    await audit({ source: SAMPLES, out, jobs: 1, config: { curated: { emit: ['nemo', 'lhotse'] } } });
    const curated = join(out, 'curated');
    const [trim] = jsonl(readFileSync(join(curated, 'trims.jsonl'), 'utf8'));
    expect(trim.applied).toBeUndefined();
    const rel = `wavs/${trim.id as string}.wav`;
    expect(lstatSync(join(curated, rel)).isSymbolicLink()).toBe(true);
    const nemo = jsonl(readFileSync(join(curated, 'nemo.jsonl'), 'utf8')).find((l) => l.audio_filepath === rel)!;
    expect(nemo.offset).toBeCloseTo(trim.startSec as number, 6);
    expect(nemo.duration).toBeCloseTo((trim.endSec as number) - (trim.startSec as number), 6);
    const s = gz(join(curated, 'supervisions.jsonl.gz')).find((x) => x.id === trim.id)!;
    expect(s.start).toBeCloseTo(trim.startSec as number, 6);
    const r = gz(join(curated, 'recordings.jsonl.gz')).find((x) => x.id === s.recording_id)!;
    expect(r.num_samples).toBe(samplesOf(join(curated, rel)));
  });
});

describe('curated/ of manifests', () => {
  it('NeMo segments of one file: the kept lines byte-identical, one link, one lhotse recording of the whole file', async () => {
    const root = tempDir();
    cpSync(join(REAL, 'ljspeech', 'wavs'), join(root, 'audio'), { recursive: true });
    const lines = [
      { audio_filepath: 'audio/LJ001-0001.wav', text: 'Printing, in the only sense', offset: 0, duration: 2.5 },
      { audio_filepath: 'audio/LJ001-0001.wav', text: 'with which we are at present', offset: 2.5, duration: 2.5 },
      {
        audio_filepath: 'audio/LJ001-0004.wav',
        text: 'produced the block books, which were the immediate predecessors of the true printed book,',
      },
      { audio_filepath: 'audio/missing.wav', text: 'gone' },
    ].map((l) => JSON.stringify(l));
    writeFileSync(join(root, 'train.jsonl'), lines.join('\n') + '\n');
    const out = tempDir();
    await audit({ source: join(root, 'train.jsonl'), out, jobs: 1, config: { curated: { emit: ['nemo', 'lhotse'] } } });
    const curated = join(out, 'curated');
    const manifest = readFileSync(join(curated, 'train.jsonl'), 'utf8');
    for (const l of lines.slice(0, 3)) expect(manifest).toContain(l + '\n');
    expect(manifest).not.toContain('missing.wav');
    expect(expectTreeResolves(curated).links).toBe(2);
    const { utterances } = await collectItems(
      await selectSource(curated, 'auto', { manifest: 'train.jsonl' }),
      curated,
      {
        manifest: 'train.jsonl',
      },
    );
    expect(utterances).toHaveLength(3);
    const recordings = gz(join(curated, 'recordings.jsonl.gz'));
    const shared = recordings.filter((r) => (r.sources as Json[])[0].source === 'audio/LJ001-0001.wav');
    expect(shared).toHaveLength(1);
    expect(shared[0].num_samples).toBe(samplesOf(join(REAL, 'ljspeech', 'wavs', 'LJ001-0001.wav')));
    const supervisions = gz(join(curated, 'supervisions.jsonl.gz')).filter((s) => s.recording_id === shared[0].id);
    expect(supervisions.map((s) => [s.start, s.duration])).toEqual([
      [0, 2.5],
      [2.5, 2.5],
    ]);
    const nemo = jsonl(readFileSync(join(curated, 'nemo.jsonl'), 'utf8'));
    expect(nemo.slice(0, 2).map((l) => [l.audio_filepath, l.offset, l.duration])).toEqual([
      ['audio/LJ001-0001.wav', 0, 2.5],
      ['audio/LJ001-0001.wav', 2.5, 2.5],
    ]);
  });

  it('a CSV manifest: the header and kept records byte-identical, the audio linked where they name it', async () => {
    const root = tempDir();
    cpSync(join(REAL, 'ljspeech', 'wavs'), join(root, 'clips'), { recursive: true });
    writeFileSync(join(root, 'clips', 'LJ001-0003.wav'), 'not audio');
    const kept = 'clips/LJ001-0002.wav,"in being comparatively modern."\n';
    const csv = `path,sentence\n${kept}clips/LJ001-0003.wav,broken\n`;
    writeFileSync(join(root, 'list.csv'), csv);
    const out = tempDir();
    await audit({ source: join(root, 'list.csv'), out, jobs: 1, config: { curated: { emit: ['csv'] } } });
    const curated = join(out, 'curated');
    expect(readFileSync(join(curated, 'list.csv'), 'utf8')).toBe(`path,sentence\n${kept}`);
    expect(expectTreeResolves(curated).links).toBe(1);
    const [, row] = csvRows(readFileSync(join(curated, 'clips.csv'), 'utf8'));
    expect(row.slice(1, 3)).toEqual(['clips/LJ001-0002.wav', 'in being comparatively modern.']);
  });

  it('a manifest named like a file curated/ writes is refused before any clip is analysed, the clash named', async () => {
    const root = tempDir();
    cpSync(join(REAL, 'ljspeech', 'wavs'), join(root, 'wavs'), { recursive: true });
    writeFileSync(join(root, 'clips.csv'), 'path,sentence\nwavs/LJ001-0002.wav,in being comparatively modern.\n');
    const out = tempDir();
    const clash = audit({
      source: join(root, 'clips.csv'),
      out,
      jobs: 1,
      config: { curated: { emit: ['nemo', 'csv'] } },
    });
    await expect(clash).rejects.toThrow(/--emit csv writes curated\/clips\.csv, the name the dataset's own manifest/);
    expect(readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([]);
    await audit({ source: join(root, 'clips.csv'), out, jobs: 1, config: { curated: { emit: ['nemo'] } } });
    expect(existsSync(join(out, 'curated', 'clips.csv'))).toBe(true);
    writeFileSync(join(root, 'trims.jsonl'), '{"audio_filepath": "wavs/LJ001-0002.wav", "text": "in being"}\n');
    await expect(audit({ source: join(root, 'trims.jsonl'), out: tempDir(), jobs: 1 })).rejects.toThrow(
      /trims\.jsonl: curated\/ writes its own trims\.jsonl/,
    );
  });
});

describe('curated audio modes', () => {
  it('hardlink and copy give regular files with the original bytes; a hard link shares the inode', async () => {
    for (const audio of ['hardlink', 'copy'] as const) {
      const out = tempDir();
      await audit({ source: join(REAL, 'ljspeech'), out, jobs: 1, config: { curated: { audio } } });
      const rel = 'wavs/LJ001-0001.wav';
      const placed = join(out, 'curated', rel);
      const original = join(REAL, 'ljspeech', rel);
      expect(lstatSync(placed).isFile()).toBe(true);
      expect(readFileSync(placed).equals(readFileSync(original))).toBe(true);
      expect(statSync(placed).ino === statSync(original).ino).toBe(audio === 'hardlink');
    }
  });

  it('the CLI flags set them, and name what is wrong', () => {
    const out = tempDir();
    const ok = cli([
      'audit',
      join(REAL, 'ljspeech'),
      '--out',
      out,
      '-q',
      '--emit',
      'nemo,csv',
      '--curated-audio',
      'copy',
    ]);
    expect(ok.code).toBe(0);
    expect(existsSync(join(out, 'curated', 'nemo.jsonl'))).toBe(true);
    expect(existsSync(join(out, 'curated', 'clips.csv'))).toBe(true);
    expect(existsSync(join(out, 'curated', 'recordings.jsonl.gz'))).toBe(false);
    expect(lstatSync(join(out, 'curated', 'wavs', 'LJ001-0001.wav')).isFile()).toBe(true);
    const bad = cli(['audit', join(REAL, 'ljspeech'), '--out', tempDir(), '-q', '--emit', 'nemo,kaldi']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--emit: unknown format kaldi/);
    const badMode = cli(['audit', join(REAL, 'ljspeech'), '--out', tempDir(), '-q', '--curated-audio', 'move']);
    expect(badMode.code).toBe(2);
  });
});

describe('curated/ of parquet (Hub) rows', () => {
  it('is an audiofolder: the kept rows’ audio bytes as files, metadata.csv naming them, read back by the CSV loader', async () => {
    const fx = await makeHubFixtures(tempDir());
    const out = tempDir();
    await audit({ source: fx.ljspeechParquetDir, out, jobs: 1, config: { curated: { emit: ['nemo'] } } });
    const curated = join(out, 'curated');
    const listed = jsonl(readFileSync(join(out, 'clips.jsonl'), 'utf8')).map((l) => l.id as string);
    const dropped = jsonl(readFileSync(join(curated, 'dropped.jsonl'), 'utf8')).map((l) => l.id as string);
    const kept = listed.filter((id) => !dropped.includes(id));
    expect(kept.length).toBeGreaterThan(0);
    for (const id of kept) {
      const bytes = readFileSync(join(curated, 'audio', `${id}.wav`));
      expect(bytes.equals(readFileSync(join(REAL, 'ljspeech', 'wavs', `${id}.wav`)))).toBe(true);
    }
    expect(readdirSync(join(curated, 'audio'))).toHaveLength(kept.length);
    const options = { manifest: 'metadata.csv' };
    const source = await selectSource(curated, 'auto', options);
    expect(source.name).toBe('csv');
    const { utterances } = await collectItems(source, curated, options);
    expect(utterances.map((u) => u.id)).toEqual(kept);
    expect(utterances.every((u) => u.speaker === 'LJ' && u.normalizedText)).toBe(true);
    for (const l of jsonl(readFileSync(join(curated, 'nemo.jsonl'), 'utf8')))
      expect(statSync(join(curated, l.audio_filepath as string)).isFile()).toBe(true);
  });
});
