// FLAC and Ogg Opus decoding. Every expected number comes from soxi/sox (FLAC) or ffmpeg (Opus: sox here
// has no Opus handler) run in the test on the same file.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBytes, decodeFile } from '../src/audio/decode.js';
import { average, maxAbsDiff } from './helpers/collect.js';
import { rejection } from './helpers/decode-errors.js';

const REAL = resolve(import.meta.dirname, 'fixtures', 'real');
const quiet = { stdio: ['ignore', 'pipe', 'ignore'] as ('ignore' | 'pipe')[], maxBuffer: 1 << 28 };

const soxi = (flag: string, file: string): number =>
  Number(execFileSync('soxi', [flag, file], quiet).toString().trim());
const floats = (buf: Buffer): Float32Array =>
  new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
/** sox's decode to float, channels interleaved. spawnSync: sox exits non-zero on a cut FLAC but still writes what it decoded. */
const soxFloats = (file: string, effects: string[] = []): Float32Array =>
  floats(spawnSync('sox', [file, '-t', 'f32', '-', ...effects], quiet).stdout);
/** ffmpeg's decode to float at `rate`, channels interleaved. */
const ffmpegFloats = (file: string, rate?: number): Float32Array =>
  floats(
    execFileSync(
      'ffmpeg',
      ['-loglevel', 'error', '-i', file, ...(rate ? ['-ar', String(rate)] : []), '-f', 'f32le', '-'],
      quiet,
    ),
  );
const ffmpegChannels = (file: string): number =>
  Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=channels', '-of', 'csv=p=0', file], quiet)
      .toString()
      .trim(),
  );

/** Signal-to-difference ratio in dB of `ours` against `ref`, with `ours` shifted by `lag` samples. */
function snrDb(ours: ArrayLike<number>, ref: ArrayLike<number>, lag = 0): number {
  let [signal, diff] = [0, 0];
  for (let i = 100; i < ref.length - 100; i++) {
    signal += ref[i] ** 2;
    diff += (ours[i + lag] - ref[i]) ** 2;
  }
  return 10 * Math.log10(signal / diff);
}

/** OpusHead's input sample rate, read from the bytes here rather than through the decoder under test. */
function opusHeadRate(file: string): number {
  const bytes = readFileSync(file);
  return bytes.readUInt32LE(bytes.indexOf('OpusHead') + 12);
}

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'tts-audit-codecs-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const realFiles = (ext: string) =>
  (readdirSync(REAL, { recursive: true }) as string[]).filter((f) => f.endsWith(ext)).sort();

describe('real VCTK 0.92 FLAC clips', () => {
  const flacs = realFiles('.flac');
  it('finds them', () => expect(flacs.length).toBeGreaterThanOrEqual(6));

  for (const rel of flacs) {
    it(`${rel}: frames, rate, depth and samples match sox bit for bit`, async () => {
      const file = join(REAL, rel);
      const { audio, problems } = await decodeFile(file, rel);
      expect(problems).toEqual([]);
      expect([audio.codec, audio.sampleRate, audio.channels, audio.bitDepth]).toEqual([
        'flac',
        48000,
        soxi('-c', file),
        soxi('-b', file),
      ]);
      expect(audio.sampleRate).toBe(soxi('-r', file));
      expect(audio.samples.length).toBe(soxi('-s', file));
      expect(audio.durationSec).toBeCloseTo(audio.samples.length / 48000, 12);
      const reference = average(soxFloats(file), audio.channels);
      expect(reference.length).toBe(audio.samples.length);
      expect(maxAbsDiff(audio.samples, reference)).toBe(0);
    });
  }

  it('mic1 and mic2 of each utterance decode to the same length', async () => {
    const mic1 = flacs.filter((f) => f.endsWith('_mic1.flac'));
    expect(mic1.length).toBeGreaterThan(0);
    for (const rel of mic1) {
      const [a, b] = await Promise.all([rel, rel.replace('_mic1', '_mic2')].map((f) => decodeFile(join(REAL, f))));
      expect([rel, a.audio.samples.length]).toEqual([rel, b.audio.samples.length]);
    }
  });

  it('decodeBytes gives the same audio from bytes (as a Hub parquet row carries them)', async () => {
    const file = join(REAL, flacs[0]);
    const fromBytes = await decodeBytes(new Uint8Array(readFileSync(file)), 'x.flac');
    const fromFile = await decodeFile(file);
    expect([fromBytes.audio.sampleRate, fromBytes.audio.samples.length]).toEqual([
      48000,
      fromFile.audio.samples.length,
    ]);
    expect(maxAbsDiff(fromBytes.audio.samples, fromFile.audio.samples)).toBe(0);
  });
});

describe('real MLS Opus clip', () => {
  const opus = realFiles('.opus');
  it('finds it', () => expect(opus.length).toBeGreaterThanOrEqual(1));

  for (const rel of opus) {
    it(`${rel}: decodes at the OpusHead input rate, with ffmpeg's frame count and alignment`, async () => {
      const file = join(REAL, rel);
      const rate = opusHeadRate(file);
      expect(rate).toBe(16000);
      const { audio, problems } = await decodeFile(file, rel);
      expect(problems).toEqual([]);
      expect([audio.codec, audio.sampleRate, audio.channels, audio.bitDepth]).toEqual([
        'opus',
        rate,
        ffmpegChannels(file),
        0,
      ]);
      const reference = average(ffmpegFloats(file, rate), audio.channels);
      expect(audio.samples.length).toBe(reference.length);
      // libopus decodes natively at 16 kHz, ffmpeg decodes at 48 kHz and resamples: close, not equal.
      // Pre-skip trimmed at the right end shows as the best match at lag 0.
      const [atZero, early, late] = [
        snrDb(audio.samples, reference),
        snrDb(audio.samples, reference, -1),
        snrDb(audio.samples, reference, 1),
      ];
      expect(atZero).toBeGreaterThan(35);
      expect(atZero).toBeGreaterThan(Math.max(early, late) + 10);
      expect(audio.samples.length * (48000 / rate)).toBe(ffmpegFloats(file).length / audio.channels); // and its 48 kHz count
    });
  }
});

describe('generated FLAC', () => {
  function make(name: string, args: string[]): string {
    const file = join(tmp, name);
    execFileSync('sox', ['-n', ...args, file, 'synth', '1.7', 'sine', '440', 'sine', '660', 'gain', '-3'], quiet);
    return file;
  }

  it.each([
    ['24-bit mono', 'm24.flac', ['-r', '44100', '-c', '1', '-b', '24']],
    ['16-bit stereo', 's16.flac', ['-r', '22050', '-c', '2', '-b', '16']],
    ['8-bit mono', 'm8.flac', ['-r', '8000', '-c', '1', '-b', '8']],
    // libFLAC cannot code 100001 Hz in a frame header, so every frame says "rate as in STREAMINFO".
    ['16-bit at 100001 Hz', 'odd-rate.flac', ['-r', '100001', '-c', '1', '-b', '16']],
  ])('%s: format and samples match sox', async (_label, name, args) => {
    const file = make(name, args);
    const { audio, problems } = await decodeFile(file, name);
    expect(problems).toEqual([]);
    expect([audio.sampleRate, audio.channels, audio.bitDepth, audio.samples.length]).toEqual(
      ['-r', '-c', '-b', '-s'].map((f) => soxi(f, file)),
    );
    expect(maxAbsDiff(audio.samples, average(soxFloats(file), audio.channels))).toBeLessThan(1e-7);
  });

  it('a stereo downmix is the channel average, not one channel', async () => {
    const file = make('stereo.flac', ['-r', '16000', '-c', '2', '-b', '16']);
    const { audio } = await decodeFile(file);
    expect(maxAbsDiff(audio.samples, average(soxFloats(file), 2))).toBeLessThan(1e-7);
    expect(maxAbsDiff(audio.samples, soxFloats(file, ['remix', '1']))).toBeGreaterThan(0.05);
  });

  it("ffmpeg's FLAC encoder (other frame layout) matches sox", async () => {
    const file = join(tmp, 'ffmpeg.flac');
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=f=300:d=2.3:r=32000',
      '-c:a',
      'flac',
      file,
    ]);
    const { audio } = await decodeFile(file);
    expect(audio.samples.length).toBe(soxi('-s', file));
    expect(maxAbsDiff(audio.samples, soxFloats(file))).toBeLessThan(1e-7);
  });

  it('an ID3v2 tag in front and an ID3v1 tag at the end are skipped', async () => {
    const plain = make('plain.flac', ['-r', '16000', '-c', '1', '-b', '16']);
    const id3v2 = Buffer.concat([
      Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x20'),
      Buffer.alloc(32),
      readFileSync(plain),
    ]);
    const id3v1 = Buffer.concat([Buffer.from('TAG'), Buffer.alloc(125, 0x41)]);
    const { audio, problems } = await decodeBytes(Buffer.concat([id3v2, id3v1]), 'tagged.flac');
    expect(problems).toEqual([]);
    const untagged = (await decodeFile(plain)).audio.samples;
    expect([audio.samples.length, maxAbsDiff(audio.samples, untagged)]).toEqual([untagged.length, 0]);
  });

  it('a FLAC cut at 60 % decodes what sox decodes and reports audio.truncated', async () => {
    const whole = join(REAL, realFiles('.flac')[2]);
    const bytes = readFileSync(whole);
    const cut = join(tmp, 'cut60.flac');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const { audio, problems } = await decodeFile(cut, 'cut60.flac');
    const [total, present] = [soxi('-s', whole), soxFloats(cut)];
    expect(present.length).toBeGreaterThan(0);
    expect(audio.samples.length).toBe(present.length); // sox, like us, drops the incomplete last frame
    expect(maxAbsDiff(audio.samples, present)).toBe(0);
    expect(problems.map((p) => p.code)).toEqual(['audio.truncated']);
    expect(problems[0].value).toBeCloseTo((100 * (total - present.length)) / total, 9);
    expect(problems[0].message).toMatch(
      /STREAMINFO declares \d+ samples but only \d+ are present \(\d+\.\d% missing\)/,
    );
  });

  it('a file cut right after its metadata → audio.empty', async () => {
    const bytes = readFileSync(join(REAL, realFiles('.flac')[0]));
    // STREAMINFO (38 bytes after the marker) + the next block header says where the audio starts.
    let pos = 4;
    for (let last = false; !last; pos += 4 + bytes.readUIntBE(pos + 1, 3)) last = (bytes[pos] & 0x80) !== 0;
    const err = await rejection(decodeBytes(bytes.subarray(0, pos), 'header-only.flac'));
    expect(err.code).toBe('audio.empty');
  });

  it('a damaged frame in the middle → audio.corrupt, not a silently short clip', async () => {
    const bytes = Buffer.from(readFileSync(join(REAL, realFiles('.flac')[2])));
    for (let i = 0; i < 64; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0x5a;
    const err = await rejection(decodeBytes(bytes, 'damaged.flac'));
    expect([err.code, err.file]).toEqual(['audio.corrupt', 'damaged.flac']);
    expect(err.message).toMatch(/^damaged\.flac: FLAC frame \d+ \(byte \d+\) is damaged: its CRC-16 does not match/);
  });

  it('random bytes named .flac → audio.corrupt naming the file and what it is', async () => {
    let seed = 7;
    const noise = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const err = await rejection(decodeBytes(noise, 'noise.flac'));
    expect(err.code).toBe('audio.corrupt');
    expect(err.message).toMatch(/^noise\.flac: not a FLAC stream: no "fLaC" marker \(first bytes "/);
  });
});

describe('generated Ogg Opus', () => {
  function encode(name: string, source: string, input = ['-f', 'lavfi', '-i', source]): string {
    const file = join(tmp, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...input, '-c:a', 'libopus', file]);
    return file;
  }

  /** An ffmpeg Opus file with its OpusHead edited (fields opusenc or a mastering tool would set) and page 0 re-sealed. */
  function withHead(name: string, edit: (bytes: Buffer, head: number) => void): string {
    const bytes = Buffer.from(readFileSync(encode(`${name}.src.opus`, 'sine=f=440:d=1:r=48000')));
    edit(bytes, bytes.indexOf('OpusHead'));
    const pageEnd = 27 + bytes[26] + bytes.subarray(27, 27 + bytes[26]).reduce((a, b) => a + b, 0);
    bytes.writeUInt32LE(0, 22);
    bytes.writeUInt32LE(oggCrc(bytes.subarray(0, pageEnd)), 22);
    const file = join(tmp, name);
    writeFileSync(file, bytes);
    return file;
  }

  it.each([
    // [file, lavfi source, expected rate]. ffmpeg resamples 22.05 kHz to 24 kHz before encoding and says so in OpusHead.
    ['in24k.opus', 'sine=f=440:d=1.3:r=24000', 24000],
    ['in16k-odd.opus', 'sine=f=440:d=1.30007:r=16000', 16000],
    ['in12k.opus', 'sine=f=440:d=1.11111:r=12000', 12000],
    ['in8k.opus', 'sine=f=440:d=2.00001:r=8000', 8000],
    ['in48k-one-page.opus', 'sine=f=440:d=0.5:r=48000', 48000],
    ['in22k05.opus', 'sine=f=440:d=0.9:r=22050', 24000],
  ])('%s: OpusHead rate and ffmpeg frame count', async (name, source, rate) => {
    const file = encode(name, source);
    expect(opusHeadRate(file)).toBe(rate);
    const { audio, problems } = await decodeFile(file, name);
    expect(problems).toEqual([]);
    expect([audio.sampleRate, audio.channels, audio.bitDepth]).toEqual([rate, 1, 0]);
    expect(audio.samples.length).toBe(ffmpegFloats(file, rate).length);
  });

  it('an input rate that is not an Opus rate (opusenc records 44.1 kHz) decodes at 48 kHz', async () => {
    const file = withHead('in44k1.opus', (bytes, head) => bytes.writeUInt32LE(44100, head + 12));
    expect(opusHeadRate(file)).toBe(44100);
    const { audio } = await decodeFile(file);
    expect(audio.sampleRate).toBe(48000);
    expect(audio.samples.length).toBe(ffmpegFloats(file, 48000).length);
  });

  it('a 48 kHz stereo file matches the channel average of ffmpeg’s decode', async () => {
    const graph = 'sine=f=440:d=1.2:r=48000[a];sine=f=660:d=1.2:r=48000[b];[a][b]amerge=inputs=2';
    const file = encode('stereo48.opus', '', ['-filter_complex', graph]);
    const { audio } = await decodeFile(file);
    expect(audio.channels).toBe(2);
    const reference = average(ffmpegFloats(file), 2);
    expect(audio.samples.length).toBe(reference.length);
    expect(snrDb(audio.samples, reference)).toBeGreaterThan(60);
  });

  it('the OpusHead output gain is applied, as ffmpeg applies it', async () => {
    const file = withHead('gain6.opus', (bytes, head) => bytes.writeInt16LE(6 * 256, head + 16)); // +6 dB in Q7.8
    const { audio } = await decodeFile(file);
    expect(snrDb(audio.samples, ffmpegFloats(file))).toBeGreaterThan(60);
  });

  it('a file cut at 60 % decodes what is there and reports audio.truncated', async () => {
    const whole = join(REAL, realFiles('.opus')[0]);
    const bytes = readFileSync(whole);
    const { audio, problems } = await decodeBytes(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'cut.opus');
    expect(problems.map((p) => p.code)).toEqual(['audio.truncated']);
    expect(problems[0].message).toMatch(/file ends inside Ogg page/);
    const full = (await decodeFile(whole)).audio.samples;
    expect(audio.samples.length).toBeGreaterThan(0.4 * full.length);
    expect(audio.samples.length).toBeLessThan(0.7 * full.length);
    expect(maxAbsDiff(audio.samples, full)).toBe(0); // the same samples as the whole file, up to the cut
  });

  it('a file cut at a page boundary (no end-of-stream page) reports audio.truncated', async () => {
    const bytes = readFileSync(join(REAL, realFiles('.opus')[0]));
    const { problems } = await decodeBytes(bytes.subarray(0, bytes.lastIndexOf('OggS')), 'pagecut.opus');
    expect(problems.map((p) => [p.code, /no end-of-stream page/.test(p.message)])).toEqual([['audio.truncated', true]]);
  });

  it('a damaged page → audio.corrupt', async () => {
    const bytes = Buffer.from(readFileSync(join(REAL, realFiles('.opus')[0])));
    for (let i = 0; i < 32; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0x5a;
    const err = await rejection(decodeBytes(bytes, 'damaged.opus'));
    expect(err.code).toBe('audio.corrupt');
    expect(err.message).toMatch(/^damaged\.opus: Ogg page \d+ \(byte \d+\) is damaged: its CRC-32 does not match/);
  });

  it('Ogg Vorbis → audio.unsupported naming the codec; random bytes named .opus → audio.corrupt', async () => {
    const vorbis = join(tmp, 'v.ogg');
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=d=0.3',
      '-c:a',
      'libvorbis',
      vorbis,
    ]);
    const err = await rejection(decodeFile(vorbis, basename(vorbis)));
    expect([err.code, err.message]).toEqual([
      'audio.unsupported',
      'v.ogg: Ogg Vorbis is not supported (only Ogg Opus)',
    ]);
    const noise = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) & 0xff);
    const bad = await rejection(decodeBytes(noise, 'noise.opus'));
    expect(bad.code).toBe('audio.corrupt');
    expect(bad.message).toMatch(/^noise\.opus: not an Ogg stream/);
  });
});

/** Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected), to re-seal a page the test edits. */
function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (const byte of page) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}
