// The FLAC decoder drives libFLAC's WASM exports itself and mixes each frame straight from the WASM heap
// (src/audio/flac-wasm.ts). Its output must be what the package's own decodeFile gives, integers recovered and
// averaged, for every depth and channel count, file after file on the one kept instance, with nothing left behind
// in the fixed 16 MB WASM heap; what it cannot vouch for must go to the package's path, with the package's errors.
// Our own decoder (src/audio/flac-kernel.ts) is tried before this path and takes all of these files, so it is
// switched off here: this path is still where everything it declines goes (test/flac-kernel.test.ts for it).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeBytes } from '../src/audio/decode.js';
import { DecodeError } from '../src/audio/errors.js';
import { flacPaths } from '../src/audio/flac-wasm.js';
import { flacAudioStart, flacFrames, resealFlac } from './helpers/containers.js';

vi.mock('../src/audio/flac-kernel.js', () => ({ decodeKernel: () => undefined }));

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'tts-audit-flac-direct-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A FLAC of noise and tones by sox (a channel each): noise fills the low bits, so a wrong integer shows. */
function make(name: string, rate: number, channels: number, bits: number, seconds: number): Uint8Array {
  const file = join(tmp, name);
  const synth = ['synth', String(seconds), 'whitenoise', 'sine', '440', 'sine', '97', 'gain', '-6'];
  execFileSync('sox', ['-R', '-n', '-r', String(rate), '-c', String(channels), '-b', String(bits), file, ...synth], {
    stdio: 'ignore',
  });
  return new Uint8Array(readFileSync(file));
}

/** The package's own whole-file decode (a fresh instance), integers recovered and averaged over 2^(b-1). */
async function reference(bytes: Uint8Array): Promise<Float32Array> {
  const d = new FLACDecoder();
  await d.ready;
  const { channelData, samplesDecoded, bitDepth, errors } = await d.decodeFile(bytes);
  d.free();
  expect(errors).toEqual([]);
  const full = 2 ** (bitDepth - 1);
  const out = new Float32Array(samplesDecoded);
  for (let i = 0; i < samplesDecoded; i++) {
    let sum = 0;
    for (const x of channelData) sum += Math.round(x[i] * (full - 1));
    out[i] = sum / (full * channelData.length);
  }
  return out;
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('FLAC through libFLAC exports, mixed from the WASM heap', () => {
  it('gives the package decode for every depth and channel count, file after file, well past the heap size', async () => {
    const cases = [
      { name: 'm16.flac', rate: 48000, channels: 1, bits: 16, exact: true },
      { name: 'm24.flac', rate: 44100, channels: 1, bits: 24, exact: true },
      { name: 'm8.flac', rate: 8000, channels: 1, bits: 8, exact: true },
      { name: 's16.flac', rate: 22050, channels: 2, bits: 16, exact: true },
      { name: 's24.flac', rate: 96000, channels: 2, bits: 24, exact: true },
      // A sum over 3 is not a power of two: the reference divides, the decoder multiplies by the reciprocal.
      { name: 't16.flac', rate: 16000, channels: 3, bits: 16, exact: false },
    ].map((c) => ({ ...c, bytes: make(c.name, c.rate, c.channels, c.bits, 12) }));
    const expected = await Promise.all(cases.map((c) => reference(c.bytes)));
    const before = { ...flacPaths };
    let heapBytes = 0; // compressed frames in and floats out, each malloc'd in the WASM heap and freed
    for (let round = 0; round < 3; round++)
      for (const [i, c] of cases.entries()) {
        const { audio, problems } = await decodeBytes(c.bytes, c.name);
        expect(problems).toEqual([]);
        expect([audio.sampleRate, audio.channels, audio.bitDepth]).toEqual([c.rate, c.channels, c.bits]);
        expect(audio.samples.length).toBe(expected[i].length);
        const diff = maxDiff(audio.samples, expected[i]);
        if (c.exact) expect([c.name, diff]).toEqual([c.name, 0]);
        else expect(diff).toBeLessThan(1e-7);
        heapBytes += c.bytes.length + audio.samples.length * c.channels * 4;
      }
    expect(heapBytes).toBeGreaterThan(4 * 16 * 2 ** 20);
    expect(flacPaths.direct - before.direct).toBe(3 * cases.length);
    expect(flacPaths.package - before.package).toBe(0);
  });

  it('one channel needs no integer: float32(float32(i / d) × d / 2^(b-1)) is i / 2^(b-1) for every i at 8, 16, 24 bits', () => {
    // float32(i / d) is libFLAC's glue (an f32 division; rounding the double quotient to float32 gives the same).
    for (const bits of [8, 16, 24]) {
      const full = 2 ** (bits - 1);
      const [d, c] = [full - 1, (full - 1) / full];
      let wrong = 0;
      for (let i = -full; i < full; i++) if (Math.fround(Math.fround(i / d) * c) !== i / full) wrong++;
      expect([bits, wrong]).toEqual([bits, 0]);
    }
  });

  it('a frame libFLAC rejects goes to the package path and fails with its error; the next file is direct again', async () => {
    const good = make('good.flac', 16000, 1, 16, 3);
    const frames = flacFrames(good, flacAudioStart(good));
    const damaged = Uint8Array.from(good);
    // Frame 2's residual scrambled and its CRCs recomputed: our splitter accepts it, libFLAC does not.
    for (let p = frames[2].start + 20; p < frames[2].end - 2; p += 7) damaged[p] ^= 0xa5;
    resealFlac(damaged, frames);
    const before = { ...flacPaths };
    const err = await decodeBytes(damaged, 'damaged.flac').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DecodeError);
    expect([(err as DecodeError).code, (err as DecodeError).message]).toEqual([
      'audio.corrupt',
      expect.stringMatching(/^damaged\.flac: libFLAC: .+ \(frame \d+, input byte \d+\)$/),
    ]);
    expect(flacPaths.package - before.package).toBe(1);
    const { audio } = await decodeBytes(good, 'good.flac');
    expect(maxDiff(audio.samples, await reference(good))).toBe(0);
    expect(flacPaths.direct - before.direct).toBe(1); // the good file; the damaged one's direct try gave up
  });

  it('frames that refer to STREAMINFO (an exotic rate) take the package path, with its header', async () => {
    const bytes = make('odd.flac', 100001, 1, 16, 2);
    const before = { ...flacPaths };
    const { audio } = await decodeBytes(bytes, 'odd.flac');
    expect(audio.sampleRate).toBe(100001);
    // The package's decodeFile loses sync in such a stream (its parser's doing, not libFLAC's): sox is the reference.
    const sox = execFileSync('sox', [join(tmp, 'odd.flac'), '-t', 'f32', '-']);
    expect(maxDiff(audio.samples, new Float32Array(sox.buffer, sox.byteOffset, sox.length / 4))).toBe(0);
    expect([flacPaths.direct - before.direct, flacPaths.package - before.package]).toEqual([0, 1]);
  });
});
