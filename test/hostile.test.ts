// Hostile datasets: what a stranger's folder can hold (lying headers, FIFOs, links out of the tree, devices,
// megabyte transcripts) ends as a finding on the clip concerned, and the run finishes with the good clips kept.

import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioRef, decodeFile } from '../src/audio/decode.js';
import { DecodeError } from '../src/audio/errors.js';
import { audit } from '../src/index.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { configSchema } from '../src/config/schema.js';
import { analyseClip } from '../src/pipeline/clip.js';
import type { Utterance } from '../src/types.js';
import { facts } from './helpers/audio.js';
import { REAL, cli, tempDir } from './helpers/run.js';
import { rmSync } from 'node:fs';

const LJ = join(REAL, 'ljspeech');
const GOOD = ['LJ001-0001', 'LJ001-0002', 'LJ001-0003'];

/** A real clip's WAV with one `fmt ` field replaced: the header lies, the data stays real. */
function patchedWav(field: 'channels' | 'sampleRate', value: number): Buffer {
  const b = Buffer.from(readFileSync(join(LJ, 'wavs', 'LJ001-0001.wav')));
  const fmt = b.indexOf('fmt ') + 8;
  if (field === 'channels') b.writeUInt16LE(value, fmt + 2);
  else b.writeUInt32LE(value, fmt + 4);
  return b;
}

interface ClipLine {
  id: string;
  findings: { code: string; message: string }[];
  metrics: Record<string, number>;
}

const clipsOf = (out: string): Map<string, ClipLine> =>
  new Map(
    readFileSync(join(out, 'clips.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ClipLine)
      .map((c) => [c.id, c]),
  );

const codesOf = (c: ClipLine | undefined) => c?.findings.map((f) => f.code) ?? [];

let work: string;
beforeAll(() => {
  work = tempDir('tts-audit-hostile-');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a hostile LJSpeech folder', () => {
  const rows: string[] = [];
  let root: string;
  let out: string;
  let clips: Map<string, ClipLine>;
  let wallMs: number;

  beforeAll(async () => {
    root = join(work, 'lj');
    out = join(work, 'out');
    mkdirSync(join(root, 'wavs'), { recursive: true });
    const real = readFileSync(join(LJ, 'metadata.csv'), 'utf8').trim().split('\n');
    for (const id of GOOD) {
      linkSync(join(LJ, 'wavs', `${id}.wav`), join(root, 'wavs', `${id}.wav`));
      rows.push(real.find((r) => r.startsWith(`${id}|`))!);
    }
    const hostile: Record<string, () => void> = {
      rate50: () => writeFileSync(join(root, 'wavs', 'rate50.wav'), patchedWav('sampleRate', 50)),
      rate2g: () => writeFileSync(join(root, 'wavs', 'rate2g.wav'), patchedWav('sampleRate', 2 ** 31)),
      rate4g: () => writeFileSync(join(root, 'wavs', 'rate4g.wav'), patchedWav('sampleRate', 2 ** 32 - 1)),
      ch1000: () => writeFileSync(join(root, 'wavs', 'ch1000.wav'), patchedWav('channels', 1000)),
      fifo: () => execFileSync('mkfifo', [join(root, 'wavs', 'fifo.wav')]),
      passwd: () => symlinkSync('/etc/passwd', join(root, 'wavs', 'passwd.wav')),
      zero: () => symlinkSync('/dev/zero', join(root, 'wavs', 'zero.wav')),
      folder: () => mkdirSync(join(root, 'wavs', 'folder.wav')),
      // A link that stays inside the dataset is an ordinary clip.
      inner: () => symlinkSync(join(root, 'wavs', 'LJ001-0001.wav'), join(root, 'wavs', 'inner.wav')),
    };
    for (const [id, make] of Object.entries(hostile)) {
      make();
      rows.push(`${id}|Some words for ${id}.|Some words for ${id}.`);
    }
    rows.push(`LJ001-0002|${'word '.repeat(1000)}|${'word '.repeat(1000)}`.replace('LJ001-0002|', 'longtext|'));
    linkSync(join(LJ, 'wavs', 'LJ001-0002.wav'), join(root, 'wavs', 'longtext.wav'));
    writeFileSync(join(root, 'metadata.csv'), rows.join('\n') + '\n');
    const t0 = performance.now();
    await audit({ source: root, out, jobs: 1 });
    wallMs = performance.now() - t0;
    clips = clipsOf(out);
  });

  it('finishes with every output and keeps the good clips', () => {
    for (const f of ['report.json', 'report.md', 'clips.jsonl', 'run.json'])
      expect(existsSync(join(out, f))).toBe(true);
    for (const id of [...GOOD, 'inner']) expect(clips.get(id)?.metrics['signal.duration_sec']).toBeGreaterThan(1);
    const kept = readFileSync(join(out, 'curated', 'metadata.csv'), 'utf8');
    for (const id of GOOD) expect(kept).toContain(id);
    expect(wallMs).toBeLessThan(60_000); // the FIFO would have blocked forever, /dev/zero filled memory
  });

  it('refuses absurd header fields before any sample is held', () => {
    expect(codesOf(clips.get('rate50'))).toContain('limits.sample_rate');
    expect(codesOf(clips.get('rate2g'))).toContain('limits.sample_rate');
    expect(codesOf(clips.get('rate4g'))).toContain('limits.sample_rate');
    expect(codesOf(clips.get('ch1000'))).toContain('limits.channels');
    const msg = clips.get('rate50')!.findings.find((f) => f.code === 'limits.sample_rate')!.message;
    expect(msg).toMatch(/^wavs\/rate50\.wav: declares 50 Hz/);
  });

  it('never opens what is not a regular file inside the dataset, nor quotes it', () => {
    expect(codesOf(clips.get('fifo'))).toEqual(['audio.not_a_file']);
    expect(codesOf(clips.get('folder'))).toEqual(['audio.not_a_file']);
    expect(codesOf(clips.get('passwd'))).toEqual(['audio.outside_root']);
    expect(codesOf(clips.get('zero'))).toEqual(['audio.outside_root']);
    const everything = ['report.json', 'report.md', 'clips.jsonl'].map((f) => readFileSync(join(out, f), 'utf8'));
    for (const text of everything) expect(text).not.toMatch(/root:x:0:0/);
  });

  it('does not hand a transcript beyond the limit to the analyzers', () => {
    const c = clips.get('longtext')!;
    expect(codesOf(c)).toEqual(['limits.transcript']);
    expect(c.metrics).toEqual({});
  });
});

describe('limits', () => {
  it('a FLAC of 25 minutes of silence (a few KB) is refused from its frame headers, not decoded', async () => {
    const flac = join(work, 'silence.flac');
    execFileSync('sox', ['-D', '-n', '-r', '16000', '-b', '16', '-c', '1', flac, 'trim', '0', '1500']);
    expect(readFileSync(flac).length).toBeLessThan(2 ** 20);
    const before = process.memoryUsage().arrayBuffers;
    const err = await decodeFile(flac, 'silence.flac').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).code).toBe('limits.duration');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
    // Within a raised limit the same file decodes.
    const { audio } = await decodeFile(flac, 'silence.flac', { limits: { ...DEFAULT_LIMITS, maxDurationSec: 1600 } });
    expect(audio.durationSec).toBeCloseTo(1500, 3);
  });

  it('file size and duration limits come from the config', async () => {
    const wav = join(LJ, 'wavs', 'LJ001-0001.wav');
    const small = { ...DEFAULT_LIMITS, maxFileMB: 0.01 };
    const err = await decodeFile(wav, 'a.wav', { limits: small }).catch((e: unknown) => e);
    expect((err as DecodeError).code).toBe('limits.file_size');
    const short = { ...DEFAULT_LIMITS, maxDurationSec: 2 };
    const err2 = await decodeFile(wav, 'a.wav', { limits: short }).catch((e: unknown) => e);
    expect((err2 as DecodeError).code).toBe('limits.duration');
    expect((err2 as DecodeError).message).toMatch(
      /^a\.wav: holds 9\.\d s of audio, longer than limits\.maxDurationSec/,
    );
  });

  it('decoded samples from a table (Hub rows) with an absurd sampling_rate are refused', async () => {
    for (const sampleRate of [1, 4e9]) {
      const ref = { kind: 'pcm' as const, samples: new Float32Array(16000), sampleRate, name: 'row 3' };
      const err = await decodeAudioRef(ref).catch((e: unknown) => e);
      expect((err as DecodeError).code).toBe('limits.sample_rate');
    }
  });
});

describe('audio outside the dataset root', () => {
  it('a NeMo manifest with absolute paths elsewhere is refused with a hint, and read with --audio-root', () => {
    const store = join(work, 'store');
    const root = join(work, 'nemo');
    mkdirSync(store, { recursive: true });
    mkdirSync(root, { recursive: true });
    const lines = GOOD.map((id) => {
      linkSync(join(LJ, 'wavs', `${id}.wav`), join(store, `${id}.wav`));
      return JSON.stringify({ audio_filepath: join(store, `${id}.wav`), text: `clip ${id}`, duration: 9 });
    });
    writeFileSync(join(root, 'train.json'), lines.join('\n') + '\n');
    const refused = cli(['audit', join(root, 'train.json'), '--out', join(work, 'nemo-out-1'), '--jobs', '1']);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toMatch(/every audio path the manifest names \(3\) lies outside .*--audio-root DIR/);
    const allowed = cli([
      'audit',
      join(root, 'train.json'),
      '--out',
      join(work, 'nemo-out-2'),
      '--jobs',
      '1',
      '--audio-root',
      store,
    ]);
    expect(allowed.code).toBe(0);
    const clips = clipsOf(join(work, 'nemo-out-2'));
    expect([...clips.values()].map((c) => c.metrics['signal.duration_sec'] > 1)).toEqual([true, true, true]);
  });

  it('a wavs/ folder that is a link out of the tree is refused clip by clip, and read with --audio-root', async () => {
    const store = join(work, 'wavstore');
    const root = join(work, 'linked');
    mkdirSync(store, { recursive: true });
    mkdirSync(root, { recursive: true });
    for (const id of GOOD) linkSync(join(LJ, 'wavs', `${id}.wav`), join(store, `${id}.wav`));
    symlinkSync(store, join(root, 'wavs'));
    writeFileSync(join(root, 'metadata.csv'), GOOD.map((id) => `${id}|Text ${id}.|Text ${id}.`).join('\n') + '\n');
    await audit({ source: root, out: join(work, 'linked-out-1'), jobs: 1 });
    const refused = clipsOf(join(work, 'linked-out-1'));
    expect([...refused.values()].map(codesOf)).toEqual([
      ['audio.outside_root'],
      ['audio.outside_root'],
      ['audio.outside_root'],
    ]);
    await audit({ source: root, out: join(work, 'linked-out-2'), jobs: 1, sourceOptions: { audioRoots: [store] } });
    const read = clipsOf(join(work, 'linked-out-2'));
    expect([...read.values()].every((c) => c.metrics['signal.duration_sec'] > 1)).toBe(true);
  });
});

describe('manifests that are not regular files of the dataset', () => {
  it('a metadata.csv linked out of the tree is refused by name, and nothing of it is read', async () => {
    const root = join(work, 'passwd-manifest');
    mkdirSync(join(root, 'wavs'), { recursive: true });
    symlinkSync('/etc/passwd', join(root, 'metadata.csv'));
    const r = cli(['audit', root, '--out', join(work, 'passwd-out'), '--jobs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metadata\.csv: is a link that leads outside the dataset root/);
    expect(r.stderr + r.stdout).not.toMatch(/root:x:0:0/);
  });

  it('the longest manifest line read comes from limits.maxManifestLineKB', async () => {
    const root = join(work, 'long-line');
    mkdirSync(join(root, 'wavs'), { recursive: true });
    const rows = readFileSync(join(LJ, 'metadata.csv'), 'utf8').trim().split('\n').slice(0, 2);
    for (const row of rows)
      linkSync(join(LJ, 'wavs', `${row.split('|')[0]}.wav`), join(root, 'wavs', `${row.split('|')[0]}.wav`));
    const long = 'word '.repeat(600); // 3,000 bytes: a long sentence, well under the transcript limit
    const id = rows[1].split('|')[0];
    writeFileSync(join(root, 'metadata.csv'), `${rows[0]}\n${id}|${long}|${long}\n`);
    const tight = await audit({ source: root, jobs: 1, config: { limits: { maxManifestLineKB: 2 } } });
    expect(tight.report.sourceFindings.map((f) => f.message)).toEqual([
      'metadata.csv:2: line longer than 2 KiB (limits.maxManifestLineKB); skipped',
    ]);
    expect(tight.report.summary.listed).toBe(1);
    const roomy = await audit({ source: root, jobs: 1 });
    expect([roomy.report.sourceFindings.length, roomy.report.summary.listed]).toEqual([0, 2]);
  });

  it('a LibriTTS transcript linked out of the tree is a finding; the other chapters are audited', async () => {
    const root = join(work, 'libritts');
    execFileSync('cp', ['-r', join(REAL, 'libritts'), root]);
    const txt = execFileSync('find', [root, '-name', '*.normalized.txt'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .sort();
    rmSync(txt[0]);
    symlinkSync('/etc/passwd', txt[0]);
    const { report } = await audit({ source: root, out: join(work, 'libritts-out'), jobs: 1 });
    expect(report.findings['source.unreadable_file']?.clips).toBe(1);
    expect(report.sourceFindings.find((f) => f.code === 'source.unreadable_file')?.message).toMatch(
      /normalized\.txt: is a link that leads outside the dataset root; not read$/,
    );
    expect(report.summary.analysed).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toMatch(/root:x:0:0/);
  });
});

describe('an output folder with planted links', () => {
  it('replaces links named like outputs instead of writing through them', async () => {
    const out = join(work, 'planted');
    const victims = join(work, 'victims');
    mkdirSync(join(victims, 'dir'), { recursive: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(join(victims, 'file'), 'keep');
    writeFileSync(join(victims, 'dir', 'x'), 'keep');
    for (const name of ['report.md', 'report.json', 'clips.jsonl', 'clips.jsonl.part'])
      symlinkSync(join(victims, 'file'), join(out, name));
    symlinkSync(join(victims, 'dir'), join(out, 'curated'));
    await audit({ source: join(REAL, 'ljspeech'), out, jobs: 1 });
    expect(readFileSync(join(victims, 'file'), 'utf8')).toBe('keep');
    expect(execFileSync('ls', [join(victims, 'dir')], { encoding: 'utf8' }).trim()).toBe('x');
    for (const name of ['report.md', 'report.json', 'clips.jsonl', 'curated'])
      expect(lstatSync(join(out, name)).isSymbolicLink()).toBe(false);
    expect(existsSync(join(out, 'clips.jsonl.part'))).toBe(false);
  });
});

describe('a clip no frame analysis can read', () => {
  it('an exception while computing features is the clip’s finding, not the run’s end', async () => {
    // Only reachable with the limits lowered below any real recording: 50 samples at 10 Hz.
    const config = configSchema.parse({ limits: { minSampleRateHz: 1 } });
    const u: Utterance = {
      id: 'tiny',
      text: 'a test sentence',
      audio: { kind: 'pcm', samples: new Float32Array(50).fill(0.1), sampleRate: 10, name: 'tiny.wav' },
      origin: { file: 'metadata.csv', line: 1 },
    };
    const info = { name: 'test', language: 'en', expectsNormalizedText: true };
    const outcome = await analyseClip(u, { config, facts: facts(info), tools: {}, readRoots: [] });
    expect(outcome.analysed).toBe(false);
    expect(outcome.drafts.map((d) => d.code)).toEqual(['features.failed']);
    expect(outcome.drafts[0].message).toMatch(/^tiny\.wav: computing frame features failed: /);
  });
});
