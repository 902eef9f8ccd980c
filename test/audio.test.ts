// Audio stage tests. Every expected number comes from sox/soxi run inside the test on the same file.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioRef, decodeBytes, decodeFile } from '../src/audio/decode.js';
import { average, maxAbsDiff } from './helpers/collect.js';
import { rejection } from './helpers/decode-errors.js';

const REAL = 'test/fixtures/real';

const soxi = (flag: string, file: string): number =>
  Number(
    execFileSync('soxi', [flag, file], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim(),
  );

/** sox's own decode of `file` to 32-bit float, all channels interleaved (sox warnings silenced). */
function soxFloats(file: string, effects: string[] = []): Float32Array {
  const out = execFileSync('sox', [file, '-t', 'f32', '-', ...effects], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 28,
  });
  return new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

/** Our mono samples against sox's decode of the same file (plus `effects`), channels averaged here. */
function expectSoxSamples(
  samples: Float32Array,
  file: string,
  channels: number,
  tolerance = 1e-6,
  effects: string[] = [],
): void {
  const reference = average(soxFloats(file, effects), channels);
  expect(samples.length).toBe(reference.length);
  expect(maxAbsDiff(samples, reference)).toBeLessThan(tolerance);
}

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'tts-audit-audio-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `sox -n <format> name synth …` in the temp dir; one sine per channel so a downmix bug shows. */
function synth(name: string, format: string[], channels = 1, rate = 22050, seconds = 1.3): string {
  const file = join(tmp, name);
  const tones = ['sine 440', 'sine 660', 'square 220', 'sine 1000'].slice(0, channels).flatMap((t) => t.split(' '));
  execFileSync('sox', [
    '-n',
    '-r',
    String(rate),
    '-c',
    String(channels),
    ...format,
    file,
    'synth',
    String(seconds),
    ...tones,
    'gain',
    '-6',
  ]);
  return file;
}

describe('generated WAVs agree with sox', () => {
  const variants = [
    { name: 'u8.wav', format: ['-b', '8', '-e', 'unsigned-integer'], codec: 'pcm_u8' },
    { name: 's16.wav', format: ['-b', '16'], codec: 'pcm_s16le' },
    { name: 's24.wav', format: ['-b', '24'], codec: 'pcm_s24le', extensible: true },
    { name: 's32.wav', format: ['-b', '32'], codec: 'pcm_s32le', extensible: true },
    { name: 'f32.wav', format: ['-b', '32', '-e', 'floating-point'], codec: 'pcm_f32le' },
    { name: 'f64.wav', format: ['-b', '64', '-e', 'floating-point'], codec: 'pcm_f64le' },
    { name: 'stereo.wav', format: ['-b', '16'], channels: 2, codec: 'pcm_s16le' },
    { name: 'stereo24.wav', format: ['-b', '24'], channels: 2, codec: 'pcm_s24le', extensible: true },
    { name: 'quad-f32.wav', format: ['-b', '32', '-e', 'floating-point'], channels: 4, codec: 'pcm_f32le' },
    { name: 'three16.wav', format: ['-b', '16'], channels: 3, codec: 'pcm_s16le', extensible: true },
    { name: 'alaw.wav', format: ['-e', 'a-law'], rate: 8000, codec: 'pcm_alaw', tolerance: 1e-3 },
    { name: 'mulaw.wav', format: ['-e', 'mu-law'], rate: 8000, codec: 'pcm_mulaw', tolerance: 1e-3 },
    { name: 'alaw-stereo.wav', format: ['-e', 'a-law'], channels: 2, rate: 8000, codec: 'pcm_alaw', tolerance: 1e-3 },
    { name: 'ima.wav', format: ['-e', 'ima-adpcm'], rate: 8000, codec: 'adpcm_ima_wav' },
    { name: 'ima-stereo.wav', format: ['-e', 'ima-adpcm'], channels: 2, rate: 16000, codec: 'adpcm_ima_wav' },
  ];

  for (const v of variants) {
    it(`${v.name}: frames, rate, channels, bit depth and samples`, async () => {
      const file = synth(v.name, v.format, v.channels ?? 1, v.rate ?? 22050);
      const bytes = readFileSync(file);
      // The fixture must really be WAVE_FORMAT_EXTENSIBLE (tag 0xFFFE at byte 20) where we say so.
      expect(bytes.readUInt16LE(20) === 0xfffe).toBe(Boolean(v.extensible));

      const { audio, problems } = await decodeFile(file, v.name);
      expect(problems).toEqual([]);
      expect(audio.codec).toBe(v.codec);
      expect(audio.samples.length).toBe(soxi('-s', file));
      expect(audio.sampleRate).toBe(soxi('-r', file));
      expect(audio.channels).toBe(soxi('-c', file));
      expect(audio.bitDepth).toBe(soxi('-b', file));
      expect(audio.durationSec).toBeCloseTo(audio.samples.length / audio.sampleRate, 12);
      expectSoxSamples(audio.samples, file, audio.channels, v.tolerance);
    });
  }

  it('ffmpeg 3-channel float (WAVE_FORMAT_EXTENSIBLE, LIST chunk before data) matches sox', async () => {
    const file = join(tmp, 'ffmpeg-f32x3.wav');
    const graph = 'sine=f=440:d=0.8[a];sine=f=660:d=0.8[b];sine=f=880:d=0.8[c];[a][b][c]amerge=inputs=3';
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-filter_complex', graph, '-c:a', 'pcm_f32le', file]);
    const bytes = readFileSync(file);
    expect([bytes.readUInt16LE(20), bytes.includes('LIST')]).toEqual([0xfffe, true]);
    const { audio } = await decodeFile(file, 'ffmpeg-f32x3.wav');
    expect([audio.codec, audio.channels, audio.samples.length]).toEqual([
      'pcm_f32le',
      soxi('-c', file),
      soxi('-s', file),
    ]);
    expectSoxSamples(audio.samples, file, 3);
  });

  it('a downmix is the channel average, not channel 1', async () => {
    const file = synth('stereo-left.wav', ['-b', '16'], 2);
    const { audio } = await decodeFile(file, 'stereo-left.wav');
    expect(maxAbsDiff(audio.samples, soxFloats(file, ['remix', '1']))).toBeGreaterThan(0.05);
  });

  it('a WAV streamed to a pipe (size placeholder) decodes to what sox reads', async () => {
    const bytes = execFileSync('sox', [
      '-n',
      '-r',
      '16000',
      '-b',
      '16',
      '-t',
      'wav',
      '-',
      'synth',
      '0.7',
      'sine',
      '300',
    ]);
    const file = join(tmp, 'piped.wav');
    writeFileSync(file, bytes);
    const { audio, problems } = await decodeFile(file, 'piped.wav');
    expect(problems.map((p) => p.code)).toEqual(['audio.length_unset']);
    expectSoxSamples(audio.samples, file, 1);
  });
});

describe('real dataset clips', () => {
  const wavs = (readdirSync(REAL, { recursive: true }) as string[])
    .filter((f) => f.toLowerCase().endsWith('.wav'))
    .sort();

  it('finds the real WAV clips', () => expect(wavs.length).toBeGreaterThan(0));

  for (const rel of wavs) {
    it(`${rel}: frames, rate and samples match sox`, async () => {
      const file = join(REAL, rel);
      const { audio, problems } = await decodeFile(file, rel);
      expect(problems).toEqual([]);
      expect(audio.samples.length).toBe(soxi('-s', file));
      expect(audio.sampleRate).toBe(soxi('-r', file));
      expect(audio.channels).toBe(soxi('-c', file));
      expectSoxSamples(audio.samples, file, audio.channels);
    });
  }
});

describe('bad input', () => {
  const lj = join(REAL, 'ljspeech/wavs/LJ001-0002.wav');

  it('missing file → audio.missing, named by its display name', async () => {
    const err = await rejection(decodeFile(join(tmp, 'nope.wav'), 'wavs/nope.wav'));
    expect([err.code, err.message]).toEqual(['audio.missing', 'wavs/nope.wav: file not found']);
  });

  it('zero-length file → audio.empty', async () => {
    writeFileSync(join(tmp, 'zero.wav'), new Uint8Array(0));
    expect((await rejection(decodeFile(join(tmp, 'zero.wav'), 'zero.wav'))).code).toBe('audio.empty');
  });

  it('a directory → audio.not_a_file, refused by type before reading', async () => {
    const err = await rejection(decodeFile(tmp, 'wavs/dir.wav'));
    expect(err.code).toBe('audio.not_a_file');
    expect(err.message).toBe('wavs/dir.wav: is a folder, not a regular file; not opened for reading');
  });

  let seed = 12345;
  const noise = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  const lfsPointer = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\n');
  it.each([
    ['noise named .wav → corrupt', noise, 'x.wav', 'audio.corrupt', /^x\.wav: not a RIFF\/WAVE file \(first bytes "/],
    [
      'noise named .bin → unsupported',
      noise,
      'x.bin',
      'audio.unsupported',
      /^x\.bin: no decoder for extension \.bin with first bytes "/,
    ],
    ['text named .txt → unsupported', lfsPointer, 'notes.txt', 'audio.unsupported', /"vers"/],
    ['text named .wav → corrupt', lfsPointer, 'LJ001-0001.wav', 'audio.corrupt', /^LJ001-0001\.wav: .*"vers"/],
  ] as const)('%s', async (_label, bytes, name, code, message) => {
    const err = await rejection(decodeBytes(bytes, name));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('a WAV cut at 60 % decodes what is there and reports audio.truncated', async () => {
    const whole = readFileSync(lj);
    const cut = join(tmp, 'cut60.wav');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const { audio, problems } = await decodeFile(cut, 'wavs/cut60.wav');
    expect(problems.map((p) => p.code)).toEqual(['audio.truncated']);
    expect(problems[0].message).toMatch(/data chunk declares \d+ bytes but only \d+ are present \(\d+\.\d% missing\)/);
    // What the bytes allow: header size from the intact file (size − frames × 2 bytes), then whole frames.
    const header = whole.length - soxi('-s', lj) * 2;
    expect(audio.samples.length).toBe(Math.floor((Math.floor(whole.length * 0.6) - header) / 2));
    expectSoxSamples(audio.samples, cut, 1); // sox also decodes what is present, with a warning
  });

  it('a stereo WAV cut mid-frame keeps only whole frames', async () => {
    const source = synth('stereo-src.wav', ['-b', '16'], 2);
    const whole = readFileSync(source);
    const cutBytes = Math.floor(whole.length * 0.6) | 1; // odd: inside a 4-byte frame
    const { audio, problems } = await decodeBytes(whole.subarray(0, cutBytes), 'stereo-cut.wav');
    expect(problems.map((p) => p.code)).toEqual(['audio.truncated']);
    const header = whole.length - soxi('-s', source) * 4;
    expect(audio.samples.length).toBe(Math.floor((cutBytes - header) / 4));
  });

  it('a header with a 0-byte data chunk → audio.empty', async () => {
    const empty = join(tmp, 'empty-data.wav');
    execFileSync('sox', [lj, empty, 'trim', '0', '0']);
    expect(soxi('-s', empty)).toBe(0);
    expect((await rejection(decodeFile(empty, 'empty-data.wav'))).code).toBe('audio.empty');
  });

  it('a file cut inside the fmt chunk → audio.corrupt', async () => {
    const err = await rejection(decodeBytes(readFileSync(lj).subarray(0, 30), 'wavs/head.wav'));
    expect(err.code).toBe('audio.corrupt');
    expect(err.message).toMatch(/^wavs\/head\.wav: file ends inside the "fmt " chunk/);
  });
});

describe('decodeAudioRef', () => {
  const rel = 'ljspeech/wavs/LJ001-0002.wav';
  const path = join(REAL, rel);

  it('slices offsetSec/durationSec like sox trim', async () => {
    const { audio, problems } = await decodeAudioRef({
      kind: 'file',
      path,
      relPath: rel,
      offsetSec: 0.2,
      durationSec: 0.5,
    });
    expect(problems).toEqual([]);
    expectSoxSamples(audio.samples, path, 1, 1e-6, ['trim', '0.2', '0.5']);
    expect(audio.durationSec).toBeCloseTo(audio.samples.length / audio.sampleRate, 12);
  });

  it('offset alone runs to the end', async () => {
    const { audio } = await decodeAudioRef({ kind: 'file', path, relPath: rel, offsetSec: 1 });
    expectSoxSamples(audio.samples, path, 1, 1e-6, ['trim', '1']);
  });

  it('an offset beyond the end → audio.offset_out_of_range and no samples', async () => {
    const { audio, problems } = await decodeAudioRef({
      kind: 'file',
      path,
      relPath: rel,
      offsetSec: 60,
      durationSec: 1,
    });
    expect(problems.map((p) => p.code)).toEqual(['audio.offset_out_of_range']);
    expect(problems[0].message).toContain('60 s');
    expect(audio.samples.length).toBe(0);
  });

  it('a segment running past the end keeps what exists and says so', async () => {
    const { audio, problems } = await decodeAudioRef({
      kind: 'file',
      path,
      relPath: rel,
      offsetSec: 1,
      durationSec: 30,
    });
    expect(problems.map((p) => p.code)).toEqual(['audio.segment_past_end']);
    expect(audio.samples.length).toBe(soxFloats(path, ['trim', '1']).length);
  });

  it('bytes refs decode like the file and name the ref in errors', async () => {
    const bytes = new Uint8Array(readFileSync(path));
    const { audio } = await decodeAudioRef({ kind: 'bytes', bytes, name: 'LJ001-0002.wav' });
    expect(audio.samples.length).toBe(soxi('-s', path));
    const err = await rejection(
      decodeAudioRef({ kind: 'bytes', bytes: bytes.subarray(0, 30), name: 'row7/LJ001-0002.wav' }),
    );
    expect(err.message.startsWith('row7/LJ001-0002.wav: ')).toBe(true);
  });
});
