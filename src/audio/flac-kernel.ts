// FLAC frames decoded by our own WebAssembly kernel (src/kernels/assembly/flac.ts), straight to mono floats.
//
// libFLAC through its package glue costs, frame after frame, a malloc, a copy in, a float per sample (divided by
// 2^(b-1) - 1), a free, and our mix back to integers in JavaScript. The kernel takes a few MB of frames a call and
// writes each frame's channels already mixed and scaled, the same floats to the bit (test/flac-kernel.test.ts holds
// it to `flac -d` and to libFLAC). `npx tsx scripts/bench/flac-decode.ts`, 48 kHz 16-bit, frame splitter included:
// 3.54 → 2.35 CPU s an audio hour, under native `flac -d`'s 2.48 (which also checks the MD5 and writes WAV).
// It takes only what it can vouch for (8, 16 or 24 bits, frames that agree with STREAMINFO, nothing reserved,
// every sample within its depth) and returns undefined for the rest, which goes to libFLAC as before.

import { flacInstance, type FlacExports } from '../kernels/wasm.js';

/** Enough of STREAMINFO. */
interface Format {
  channels: number;
  sampleRate: number;
  bitDepth: number;
}

const PAGE = 65536;
/** The largest FLAC block (16-bit block size field): the kernel's room per channel. */
const MAX_BLOCK = 65536;
/** A call's output and input, at most (a longer file takes several calls): bounded memory, whatever the file. */
const CHUNK_SAMPLES = 1 << 20;
const CHUNK_BYTES = 4 << 20;
/** Memory kept from file to file (it never shrinks): only a hostile frame of more than CHUNK_BYTES passes it. */
const KEEP_BYTES = 64 << 20;

let kept: FlacExports | undefined;

const align = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Frames [bounds[i], bounds[i+1]) of `bytes` (`declared` samples by their headers), decoded and mixed to mono in
 * 1/2^(b-1) steps; undefined when the kernel cannot vouch for a frame (or on a WebAssembly trap, which drops the
 * instance).
 */
export function decodeKernel(
  bytes: Uint8Array,
  bounds: number[],
  declared: number,
  info: Format,
): Float32Array | undefined {
  if (![8, 16, 24].includes(info.bitDepth) || info.channels > 8 || bounds.length < 2) return undefined;
  const k = (kept ??= flacInstance());
  try {
    const out = new Float32Array(declared);
    let [f, pos] = [0, 0];
    while (f + 1 < bounds.length) {
      // The frames whose bytes fit a call (at least one), their offsets made relative to the first.
      let g = f + 1;
      while (g + 1 < bounds.length && bounds[g + 1] - bounds[f] <= CHUNK_BYTES) g++;
      const chunk = bounds.slice(f, g + 1).map((b) => b - bounds[f]);
      const room = Math.min(declared - pos, CHUNK_SAMPLES);
      const r = runKernel(k, bytes.subarray(bounds[f], bounds[g]), chunk, room, info);
      if (r.decoded < 0 || r.frames === 0) return undefined;
      out.set(new Float32Array(k.memory.buffer, r.samplesAt, r.decoded), pos);
      [f, pos] = [f + r.frames, pos + r.decoded];
    }
    return pos === declared ? out : undefined;
  } catch {
    kept = undefined; // its state is unknown
    return undefined;
  } finally {
    if (kept && kept.memory.buffer.byteLength > KEEP_BYTES) kept = undefined;
  }
}

/** Where the kernel's memory holds what (bytes), for `channels`, `frames` frames of `srcBytes` and `room` samples. */
export function kernelLayout(channels: number, frames: number, srcBytes: number, room: number) {
  // 256 bytes before the work area (the LPC reads a few samples before a block, times zero), 256 bytes of
  // coefficients, a block per channel, the count of frames done, the frame offsets, the bytes (then 16 zero
  // bytes), the output.
  const work = 256;
  const doneAt = align(work + 256 + channels * MAX_BLOCK * 4);
  const boundsAt = doneAt + 16;
  const srcAt = align(boundsAt + (frames + 1) * 4);
  const samplesAt = align(srcAt + srcBytes + 16);
  return { work, doneAt, boundsAt, srcAt, samplesAt, end: samplesAt + room * 4 };
}

/**
 * One call of the kernel on instance `k` (its memory grown as needed): frames [bounds[i], bounds[i+1]) of `src`
 * into at most `room` samples. decoded: -1 if it declined; frames: how many it decoded. May trap.
 */
export function runKernel(k: FlacExports, src: Uint8Array, bounds: number[], room: number, info: Format) {
  const { channels, sampleRate, bitDepth } = info;
  const count = bounds.length - 1;
  const { work, doneAt, boundsAt, srcAt, samplesAt, end } = kernelLayout(channels, count, src.length, room);
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / PAGE));
  const buffer = k.memory.buffer;
  new Int32Array(buffer, boundsAt, bounds.length).set(bounds);
  const heap = new Uint8Array(buffer);
  heap.set(src, srcAt);
  heap.fill(0, srcAt + src.length, srcAt + src.length + 16);
  const decoded = k.flacDecode(srcAt, boundsAt, count, sampleRate, channels, bitDepth, samplesAt, room, work, doneAt);
  return { decoded, frames: new Int32Array(buffer, doneAt, 1)[0], samplesAt };
}
