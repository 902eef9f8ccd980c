// FLAC frames decoded by our own WebAssembly kernel (src/kernels/assembly/flac.ts), straight to mono floats.
//
// libFLAC through its package glue costs a malloc, a copy in, a float per sample (divided by 2^(b-1) - 1 in WASM),
// a free and our mix back to integers, frame after frame (a 48 kHz hour: ~3.1 CPU s in the glue and libFLAC, 0.5
// in the mix). The kernel reads the whole file in one call and writes each frame's channels already mixed and
// scaled, the same floats to the bit (test/flac-kernel.test.ts holds it to libFLAC's): ~1.6 CPU s an hour.
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
/** Memory kept from file to file (it never shrinks): a thread that decoded a longer file gets a fresh instance. */
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
    const { decoded, samplesAt } = runKernel(k, bytes, bounds, declared, info);
    return decoded === declared ? new Float32Array(k.memory.buffer, samplesAt, decoded).slice() : undefined;
  } catch {
    kept = undefined; // its state is unknown
    return undefined;
  } finally {
    if (kept && kept.memory.buffer.byteLength > KEEP_BYTES) kept = undefined;
  }
}

/** Where the kernel's memory holds what (bytes), for `channels`, `frames` frames of `fileBytes` and `declared` samples. */
export function kernelLayout(channels: number, frames: number, fileBytes: number, declared: number) {
  // 256 bytes before the work area (the LPC reads a few samples before a block, times zero), 256 bytes of
  // coefficients, a block per channel, the frame offsets, the file (then 16 zero bytes), the output.
  const work = 256;
  const boundsAt = align(work + 256 + channels * MAX_BLOCK * 4);
  const srcAt = align(boundsAt + (frames + 1) * 4);
  const samplesAt = align(srcAt + fileBytes + 16);
  return { work, boundsAt, srcAt, samplesAt, end: samplesAt + declared * 4 };
}

/** One call of the kernel on instance `k` (its memory grown as needed); decoded: -1 if it declined. May trap. */
export function runKernel(k: FlacExports, bytes: Uint8Array, bounds: number[], declared: number, info: Format) {
  const { channels, sampleRate, bitDepth } = info;
  const frames = bounds.length - 1;
  const { work, boundsAt, srcAt, samplesAt, end } = kernelLayout(channels, frames, bytes.length, declared);
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / PAGE));
  const buffer = k.memory.buffer;
  new Int32Array(buffer, boundsAt, bounds.length).set(bounds);
  const heap = new Uint8Array(buffer);
  heap.set(bytes, srcAt);
  heap.fill(0, srcAt + bytes.length, srcAt + bytes.length + 16);
  const decoded = k.flacDecode(srcAt, boundsAt, frames, sampleRate, channels, bitDepth, samplesAt, declared, work);
  return { decoded, samplesAt };
}
