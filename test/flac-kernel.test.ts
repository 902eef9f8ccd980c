// Our FLAC decoder (src/kernels/assembly/flac.ts through src/audio/flac-kernel.ts) is lossless or wrong: its mono
// output must be the integer samples of the reference `flac -d`, averaged over the channels and divided by
// 2^(b-1), to the bit, on what encoders write (flac -0 … -8, --lax orders and precisions, odd block sizes, the four
// channel assignments, wasted bits, constant and verbatim subframes, 8/16/24 bits, 3 channels). A frame it takes
// from damaged bytes must decode as libFLAC decodes it, and no bytes at all may make it hang, trap or write
// outside its memory.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBytes } from '../src/audio/decode.js';
import { splitFrames } from '../src/audio/flac-frames.js';
import { decodeKernel, kernelLayout, runKernel } from '../src/audio/flac-kernel.js';
import { flacPaths } from '../src/audio/flac-wasm.js';
import { quietly } from '../src/audio/quiet.js';
import { flacInstance } from '../src/kernels/wasm.js';
import { flacAudioStart, flacFrames, flacHeaderLength, resealFlac, type Span } from './helpers/containers.js';
import { fuzzRun } from './helpers/fuzz.js';

let tmp: string;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sox = (...args: string[]) => execFileSync('sox', args, { stdio: 'ignore' });

/** Sources by sox: noise fills the low bits; the stereo pairs share a signal, so that every side mode pays. */
function sources(): Record<string, string> {
  const at = (n: string) => join(tmp, n);
  const tone = ['synth', '3', 'sine', '220', 'sine', '1200', 'gain', '-3'];
  sox('-n', '-r', '48000', '-c', '1', '-b', '16', at('a.wav'), ...tone);
  for (const n of ['n1', 'n2'])
    sox('-n', '-r', '48000', '-c', '1', '-b', '16', at(`${n}.wav`), 'synth', '3', 'whitenoise', 'gain', '-30');
  sox('-m', at('a.wav'), at('n1.wav'), at('l.wav'));
  sox('-m', at('a.wav'), at('n2.wav'), at('r.wav'));
  sox('-M', at('l.wav'), at('a.wav'), at('right-side.wav'));
  sox('-M', at('a.wav'), at('l.wav'), at('left-side.wav'));
  sox('-M', at('l.wav'), at('r.wav'), at('mid-side.wav'));
  const noisy = (n: string, rate: number, ch: number, bits: number, ...more: string[]) =>
    sox(
      '-n',
      '-r',
      String(rate),
      '-c',
      String(ch),
      '-b',
      String(bits),
      at(n),
      'synth',
      '4',
      'whitenoise',
      'sine',
      '440',
      'sine',
      '97',
      ...more,
      'gain',
      '-6',
    );
  noisy('m16.wav', 44100, 1, 16);
  noisy('m24.wav', 96000, 1, 24);
  noisy('s24.wav', 44100, 2, 24);
  noisy('m8.wav', 8000, 1, 8);
  noisy('t16.wav', 16000, 3, 16, 'sine', '1000');
  // Longer than one kernel call holds (2^20 samples, 4 MB of frames): decoded in several.
  sox(
    '-n',
    '-r',
    '48000',
    '-c',
    '1',
    '-b',
    '24',
    at('long.wav'),
    'synth',
    '40',
    'whitenoise',
    'sine',
    '440',
    'gain',
    '-6',
  );
  // 8-bit audio in 16 bits (8 wasted bits a sample), then digital silence (constant subframes); loud noise.
  sox('-n', '-r', '22050', '-c', '1', '-b', '8', at('w8.wav'), 'synth', '2', 'sine', '300', 'gain', '-20');
  sox(at('w8.wav'), '-b', '16', at('w16.wav'));
  sox('-D', '-n', '-r', '22050', '-c', '1', '-b', '16', at('zero.wav'), 'trim', '0', '1');
  sox(at('w16.wav'), at('zero.wav'), at('wasted.wav'));
  sox('-n', '-r', '48000', '-c', '1', '-b', '16', at('loud.wav'), 'synth', '2', 'whitenoise', 'vol', '0.9');
  const names = ['right-side', 'left-side', 'mid-side', 'm16', 'm24', 's24', 'm8', 't16', 'wasted', 'loud', 'long'];
  return Object.fromEntries(names.map((n) => [n, at(`${n}.wav`)]));
}

/** The encodings: a source and `flac` options (or sox's, or ffmpeg's). */
function encodings(src: Record<string, string>): [string, string, string[]][] {
  return [
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((l): [string, string, string[]] => [`m16-${l}`, src.m16, [`-${l}`]]),
    ['m16-lax32', src.m16, ['-8', '--lax', '-l', '32', '-q', '15', '-e']],
    ['m16-odd', src.m16, ['-5', '--lax', '--blocksize=1001']],
    ['m16-small', src.m16, ['-8', '--blocksize=192']],
    ['m16-big', src.m16, ['-5', '--lax', '--blocksize=65535']],
    ['m24-8', src.m24, ['-8']],
    ['m24-lax', src.m24, ['-8', '--lax', '-l', '32', '-q', '15']],
    ['s24-8', src.s24, ['-8']],
    ['s24-indep', src.s24, ['-5', '--no-mid-side']],
    ['m8-5', src.m8, ['-5']],
    ['t16-5', src.t16, ['sox', '-C', '5']], // `flac` takes no 3-channel WAV without a channel mask
    ['wasted-5', src.wasted, ['-5']],
    ['long-5', src.long, ['-5']],
    // ffmpeg's encoder: verbatim subframes for loud noise, LPC orders past 12 with Rice2 at 24 bits.
    ['loud-ffmpeg', src.loud, ['ffmpeg', '-compression_level', '12']],
    ['s24-ffmpeg', src.s24, ['ffmpeg', '-compression_level', '12']],
    ...['right-side', 'left-side', 'mid-side'].flatMap((n): [string, string, string[]][] => [
      [`${n}-8`, src[n], ['-8']],
      [`${n}-adaptive`, src[n], ['-3']],
    ]),
  ];
}

/** `flac -d`'s integers, averaged over the channels and divided by 2^(b-1) as the decoder does (f64, then f32). */
function reference(file: string, channels: number, bits: number): Float32Array {
  const raw = execFileSync(
    'flac',
    ['-d', '-s', '-f', '--force-raw-format', '--endian=little', '--sign=signed', '-c', file],
    {
      maxBuffer: 1 << 28,
    },
  );
  const bytes = bits / 8;
  const frames = raw.length / bytes / channels;
  const k = 1 / (2 ** (bits - 1) * channels);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += raw.readIntLE((i * channels + c) * bytes, bytes);
    out[i] = sum * k;
  }
  return out;
}

const firstDiff = (a: Float32Array, b: Float32Array) =>
  a.length !== b.length ? `length ${a.length} ≠ ${b.length}` : a.findIndex((v, i) => v !== b[i]);

/** An encoded file, its STREAMINFO format and the minimal header a fresh libFLAC needs, its frames. */
interface Encoded {
  file: string;
  bytes: Uint8Array;
  info: { sampleRate: number; channels: number; bitDepth: number };
  head: Uint8Array;
  frames: Span[];
}
const encoded = new Map<string, Encoded>();

function encode(name: string, wav: string, options: string[]): Encoded {
  const file = join(tmp, `${name}.flac`);
  if (options[0] === 'sox') sox(wav, ...options.slice(1), file);
  else if (options[0] === 'ffmpeg')
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', wav, ...options.slice(1), file], { stdio: 'ignore' });
  else execFileSync('flac', ['-s', '-f', ...options, '-o', file, wav], { stdio: 'ignore' });
  const bytes = new Uint8Array(readFileSync(file));
  const d = 18; // STREAMINFO's rate (20 bits), channels-1 (3), bits-1 (5)
  const info = {
    sampleRate: (bytes[d] << 12) | (bytes[d + 1] << 4) | (bytes[d + 2] >> 4),
    channels: ((bytes[d + 2] >> 1) & 7) + 1,
    bitDepth: (((bytes[d + 2] & 1) << 4) | (bytes[d + 3] >> 4)) + 1,
  };
  const head = new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34, ...bytes.subarray(8, 42)]);
  return { file, bytes, info, head, frames: flacFrames(bytes, flacAudioStart(bytes)) };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tts-audit-flac-kernel-'));
  for (const [name, wav, options] of encodings(sources())) encoded.set(name, encode(name, wav, options));
});

describe('FLAC through our own kernel', () => {
  it("gives `flac -d`'s samples to the bit on every encoding, and takes every one of them", async () => {
    const kinds = new Set<string>();
    const before = { ...flacPaths };
    for (const [name, { file, bytes }] of encoded) {
      const analysis = execFileSync('flac', ['-a', '-s', '-c', file], { maxBuffer: 1 << 28 }).toString();
      for (const m of analysis.matchAll(
        /type=(\w+)\s+order=(\d+)|type=(CONSTANT|VERBATIM)|channel_assignment=(\w+)|wasted_bits=[1-9]/g,
      ))
        kinds.add(
          m[4] ??
            m[3] ??
            (m[1] ? `${m[1]} ${Number(m[2]) > 12 ? '>12' : Number(m[2]) > 8 ? '9-12' : '1-8'}` : 'wasted'),
        );
      const { audio } = await decodeBytes(bytes, `${name}.flac`);
      expect([name, firstDiff(audio.samples, reference(file, audio.channels, audio.bitDepth))]).toEqual([name, -1]);
    }
    const long = encoded.get('long-5')!;
    expect([long.bytes.length > 4 << 20, long.frames.length * 4096 > 1 << 20]).toEqual([true, true]);
    expect(flacPaths.kernel - before.kernel).toBe(encoded.size);
    expect(flacPaths.direct + flacPaths.package - before.direct - before.package).toBe(0);
    // What the encodings above exercised, so that a change of encoder that drops a case shows here.
    expect([...kinds]).toEqual(
      expect.arrayContaining(['CONSTANT', 'VERBATIM', 'FIXED 1-8', 'LPC 1-8', 'LPC 9-12', 'LPC >12', 'wasted']),
    );
    expect([...kinds]).toEqual(expect.arrayContaining(['INDEPENDENT', 'LEFT_SIDE', 'RIGHT_SIDE', 'MID_SIDE']));
  });

  // Damaged frames whose CRCs were recomputed: our splitter passes them, so only a decoder can tell. Each case is
  // one frame of one encoding with 1-4 bytes changed after its header; whatever our kernel takes, libFLAC (a fresh
  // decoder, as the package path uses) must decode to the same samples, without an error.
  it('takes a damaged frame only if libFLAC decodes it the same (800 resealed frames)', async () => {
    const names = [
      'm16-8',
      'm16-0',
      'm16-lax32',
      'm16-small',
      'mid-side-8',
      'left-side-8',
      's24-ffmpeg',
      'm8-5',
      't16-5',
      'wasted-5',
    ];
    const cases = fc.tuple(
      fc.constantFrom(...names),
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
    );
    const counts = { taken: 0, declined: 0 };
    await fc.assert(
      fc.asyncProperty(cases, async ([name, at, edits]) => {
        const e = encoded.get(name)!;
        const span = e.frames[at % e.frames.length];
        const frame = Uint8Array.from(e.bytes.subarray(span.start, span.end));
        const body = flacHeaderLength(frame, 0) + 1;
        for (const [p, x] of edits) frame[body + (p % (frame.length - 2 - body))] ^= x;
        resealFlac(frame, [{ start: 0, end: frame.length }]);
        const { bounds, samples: declared, tailCut } = splitFrames(frame, 0, name);
        if (tailCut || bounds.length !== 2) return; // the damage made a frame header: not this test's case
        const ours = decodeKernel(frame, bounds, declared, e.info);
        counts[ours ? 'taken' : 'declined']++;
        if (!ours) return;
        const d = new FLACDecoder();
        await d.ready;
        const r = await quietly(() => d.decodeFrames([e.head, frame]));
        d.free();
        const full = 2 ** (e.info.bitDepth - 1);
        const theirs = new Float32Array(r.samplesDecoded);
        for (let i = 0; i < theirs.length; i++) {
          let sum = 0;
          for (const x of r.channelData) sum += Math.round(x[i] * (full - 1));
          theirs[i] = sum / (full * r.channelData.length);
        }
        expect([name, r.errors.length, firstDiff(ours, theirs)]).toEqual([name, 0, -1]);
      }),
      fuzzRun(800),
    );
    // Both answers occur: damaged residuals still decode, damaged subframe headers are declined.
    expect(counts.taken).toBeGreaterThan(80);
    expect(counts.declined).toBeGreaterThan(80);
  });

  // Bytes changed anywhere in the frames, headers included, CRCs not recomputed, straight into the kernel (the
  // splitter would stop most of them): it must answer (no trap; a hang would time the file out), never claim more
  // samples than declared, and write nowhere but its work area and its output.
  it('never traps, hangs or writes outside its memory on 4,000 damaged files', () => {
    const k = flacInstance();
    const names = [...encoded.keys()].filter((n) => n !== 'long-5'); // short files: a case copies one whole
    const cases = fc.tuple(
      fc.constantFrom(...names),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 16 }),
    );
    let declined = 0;
    fc.assert(
      fc.property(cases, ([name, edits]) => {
        const e = encoded.get(name)!;
        const bytes = Uint8Array.from(e.bytes);
        const start = e.frames[0].start;
        for (const [p, x] of edits) bytes[start + (p % (bytes.length - start))] ^= x;
        const bounds = [...e.frames.map((f) => f.start), bytes.length];
        const declared = e.frames.length * 65536; // room for any block size a damaged header gives
        const at = kernelLayout(e.info.channels, e.frames.length, bytes.length, declared);
        if (at.end + 4096 > k.memory.buffer.byteLength)
          k.memory.grow(Math.ceil((at.end + 4096 - k.memory.buffer.byteLength) / 65536));
        const view = (from: number, to: number) => Buffer.from(k.memory.buffer, from, to - from);
        view(0, at.work).fill(0x5a);
        view(at.end, at.end + 4096).fill(0xa5);
        const { decoded } = runKernel(k, bytes, bounds, declared, e.info);
        if (decoded < 0) declined++;
        else expect(decoded).toBeLessThanOrEqual(declared);
        const intact = [
          view(0, at.work).equals(Buffer.alloc(at.work, 0x5a)),
          view(at.end, at.end + 4096).equals(Buffer.alloc(4096, 0xa5)),
          view(at.boundsAt, at.boundsAt + 4 * bounds.length).equals(Buffer.from(Int32Array.from(bounds).buffer)),
          view(at.srcAt, at.srcAt + bytes.length).equals(bytes),
          view(at.srcAt + bytes.length, at.srcAt + bytes.length + 16).equals(Buffer.alloc(16)),
        ];
        expect(intact).toEqual([true, true, true, true, true]);
      }),
      fuzzRun(4000),
    );
    expect(declined).toBeGreaterThan(1000);
  });
});
