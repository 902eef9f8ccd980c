// libFLAC (WASM, @wasm-audio-decoders/flac 0.2) driven frame by frame, its output mixed to mono as it comes: the
// path of what our own decoder (./flac-kernel.ts, tried first) does not take, and the reference it is held to.
//
// The package's decodeFrames copies each frame's floats out of the WASM heap (a slice per channel), joins them per
// channel at the end (a second copy), and our mix read them a third time (profile of decoding 2 h of 48 kHz FLAC:
// libFLAC 62 %, those copies and the mix 23 %, the frame splitter 8 %).
// So the kept instance's exports are called directly, the way decodeFrames calls them (malloc the frame, which
// libFLAC's read callback frees; decode_frame; read and free the output), and each frame's floats are turned back
// into integers, mixed and rescaled straight from the heap into the one output array. Anything unusual (an error
// from libFLAC, a frame larger than the glue feeds at once, a full heap, other package internals) goes to the
// package's own decodeFrames on a fresh decoder, whose result is the reference.

import type { FLACDecoder } from '@wasm-audio-decoders/flac';
import { decodeKernel } from './flac-kernel.js';
import { quietly } from './quiet.js';

/** Channels, sample rate and bit depth: STREAMINFO's, or a frame's. */
export interface Format {
  channels: number;
  sampleRate: number;
  bitDepth: number;
}

/** What the frames decoded to, mixed to mono; the format is the first one at odds with STREAMINFO, or the last frame's. */
export interface MonoDecode extends Format {
  samples: Float32Array;
  decoded: number;
  error?: { message: string; frameNumber: number; inputBytes: number };
}

// Instantiating the WASM module costs more than decoding a clip (measured over the VCTK clips: 6.3 ms per
// file with a new FLACDecoder each, 2.1 ms when one instance is kept), and the package's reset()
// re-instantiates too. So one instance lives for the process, and between files only the libFLAC stream
// decoder inside it is replaced, through the package's internals (0.2.x). That instance is fed frames only:
// once it has parsed a STREAMINFO block, replacing the stream decoder corrupts its heap (measured: "memory
// access out of bounds" on the 4th file). Streams whose frames need STREAMINFO (rate or depth code 0: libFLAC
// and ffmpeg write those only for exotic rates), other package versions and any failure use a fresh
// FLACDecoder. No lock is needed: the swap and the decoding run with no await in between.
const POINTERS = [
  '_channels',
  '_sampleRate',
  '_bitsPerSample',
  '_samplesDecoded',
  '_outputBufferPtr',
  '_outputBufferLen',
  '_errorStringPtr',
  '_stateStringPtr',
] as const;
interface Wasm {
  HEAP: ArrayBuffer;
  malloc(n: number): number;
  free(p: number): void;
  create_decoder(...pointers: number[]): number;
  destroy_decoder(d: number): void;
  decode_frame(d: number, p: number, n: number): void;
}
type Inner = Record<string, { ptr?: number } | number | undefined> & {
  _common?: { wasm?: Partial<Wasm> };
  _MAX_INPUT_SIZE?: number;
};
/** The kept instance's exports, its stream decoder and the heap slots (Uint32 indices) libFLAC's glue reports in. */
interface Kept {
  inner: Inner;
  wasm: Wasm;
  slots: number[];
  maxInput: number;
  u8: Uint8Array;
  u32: Uint32Array;
  f32: Float32Array;
}
/**
 * Files decoded by each path (our kernel, libFLAC's exports, the package), for the tests: a path falling back on
 * every file (a heap filled by a leak, changed internals) would cost speed, not correctness, and nothing else
 * would show it.
 */
export const flacPaths = { kernel: 0, direct: 0, package: 0 };
let [shared, internalsKnown] = [undefined as Promise<Kept | undefined> | undefined, true];
// Loaded on the first FLAC: a WAV-only run (and every worker thread of one) skips the package and its WASM glue.
let loaded: Promise<typeof import('@wasm-audio-decoders/flac')> | undefined;
const newDecoder = async () => new (await (loaded ??= import('@wasm-audio-decoders/flac'))).FLACDecoder();

/** `d`'s internals, or undefined if they are not as expected (another package version). */
function internals(d: FLACDecoder): Kept | undefined {
  const inner = (d as unknown as { _decoder?: Inner })._decoder;
  const wasm = inner?._common?.wasm;
  const pointers = POINTERS.map((k) => (inner?.[k] as { ptr?: number } | undefined)?.ptr);
  const fns = ['malloc', 'free', 'create_decoder', 'destroy_decoder', 'decode_frame'] as const;
  if (
    !inner ||
    !wasm ||
    !(wasm.HEAP instanceof ArrayBuffer) ||
    fns.some((f) => typeof wasm[f] !== 'function') ||
    typeof inner._decoder !== 'number' ||
    pointers.some((p) => typeof p !== 'number' || p % 4 !== 0)
  )
    return undefined;
  const heap = wasm.HEAP;
  return {
    inner,
    wasm: wasm as Wasm,
    slots: (pointers as number[]).map((p) => p >> 2),
    maxInput: typeof inner._MAX_INPUT_SIZE === 'number' ? inner._MAX_INPUT_SIZE : 65535 * 8,
    u8: new Uint8Array(heap),
    u32: new Uint32Array(heap),
    f32: new Float32Array(heap),
  };
}

/** A new libFLAC stream decoder inside the kept instance. */
function restartStream({ inner, wasm, slots }: Kept): number {
  wasm.destroy_decoder(inner._decoder as number);
  inner._decoder = wasm.create_decoder(...slots.map((s) => s << 2));
  inner._inputBytes = inner._outputSamples = inner._frameNumber = 0; // positions in the package's error reports
  return inner._decoder as number;
}

const [CHANNELS, RATE, BITS, SAMPLES, OUT_PTR, OUT_LEN, ERROR, STATE] = POINTERS.map((_, i) => i);

/**
 * Frames [bounds[i], bounds[i+1]) of `bytes` through the kept instance, mixed to mono; undefined when this path
 * cannot vouch for the result (the caller then uses the package's decodeFrames).
 */
function decodeDirect(k: Kept, bytes: Uint8Array, bounds: number[], declared: number, info: Format) {
  const { wasm, slots, u8, u32, f32 } = k;
  const decoder = restartStream(k);
  const out = new Float32Array(declared);
  const full = 2 ** (info.bitDepth - 1);
  const d = full - 1; // libFLAC's glue divides by 2^(b-1) - 1
  const scale = 1 / (full * info.channels);
  let pos = 0;
  for (let f = 0; f + 1 < bounds.length; f++) {
    const [from, len] = [bounds[f], bounds[f + 1] - bounds[f]];
    if (len > k.maxInput) return undefined; // the glue would feed it in pieces
    const input = wasm.malloc(len);
    if (input === 0) return undefined;
    u8.set(bytes.subarray(from, from + len), input);
    u32[slots[SAMPLES]] = u32[slots[OUT_PTR]] = u32[slots[OUT_LEN]] = 0;
    wasm.decode_frame(decoder, input, len);
    const [n, output] = [u32[slots[SAMPLES]], u32[slots[OUT_PTR]]];
    const frame = { channels: u32[slots[CHANNELS]], sampleRate: u32[slots[RATE]], bitDepth: u32[slots[BITS]] };
    const bad = u32[slots[ERROR]] !== 0 || u32[slots[STATE]] !== 0 || n === 0 || output === 0 || pos + n > declared;
    if (bad || output % 4 !== 0 || output + 4 * n * frame.channels > u8.length) {
      if (output !== 0) wasm.free(output);
      return undefined;
    }
    // A frame at odds with STREAMINFO: the caller reports the damaged header; the samples no longer matter.
    const odd =
      frame.channels !== info.channels || frame.sampleRate !== info.sampleRate || frame.bitDepth !== info.bitDepth;
    if (!odd) mix(f32, output >> 2, n, info.channels, d, scale, out, pos);
    wasm.free(output);
    pos += n;
    if (odd) return { samples: out, decoded: pos, ...frame };
  }
  return { samples: out, decoded: pos, channels: info.channels, sampleRate: info.sampleRate, bitDepth: info.bitDepth };
}

/**
 * Channel average of `n` planar frames at heap[at…], each float sample / (2^(b-1)-1) turned back into its integer
 * (exact up to 24 bits; 32-bit audio cannot be held by float32 anyway) and scaled by `k` = 1/(2^(b-1) × channels).
 * floor(v + 0.5), not Math.round: measured 13× faster here, and v is never near a tie.
 * One channel of up to 24 bits needs no integer at all: float32(float32(i / d) × d / 2^(b-1)) is i / 2^(b-1) for
 * every i at 8, 16 and 24 bits (checked exhaustively, and by test/flac-direct.test.ts), one multiply a sample.
 */
function mix(h: Float32Array, at: number, n: number, ch: number, d: number, k: number, out: Float32Array, pos: number) {
  if (ch === 1 && d < 2 ** 24) {
    const c = d * k;
    for (let i = 0; i < n; i++) out[pos + i] = h[at + i] * c;
    return;
  }
  if (ch === 1) {
    for (let i = 0; i < n; i++) out[pos + i] = Math.floor(h[at + i] * d + 0.5) * k;
    return;
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0, j = at + i; c < ch; c++, j += n) sum += Math.floor(h[j] * d + 0.5);
    out[pos + i] = sum * k;
  }
}

/** The package's own path: decodeFrames (per-channel arrays, joined), then the same mix. */
async function viaPackage(d: FLACDecoder, frames: Uint8Array[], { bitDepth }: Format): Promise<MonoDecode> {
  // decodeFrames is async in name only: its work, and libFLAC's console output, happen inside the call.
  const r = await quietly(() => d.decodeFrames(frames));
  const [n, ch] = [r.samplesDecoded, r.channelData.length];
  const planar = new Float32Array(n * ch);
  r.channelData.forEach((x, c) => planar.set(x.subarray(0, n), c * n));
  const out = new Float32Array(n);
  const full = 2 ** (bitDepth - 1);
  if (ch > 0) mix(planar, 0, n, ch, full - 1, 1 / (full * ch), out, 0);
  const [e] = r.errors;
  const error = e && { message: e.message, frameNumber: e.frameNumber, inputBytes: e.inputBytes };
  return { samples: out, decoded: n, channels: ch, sampleRate: r.sampleRate, bitDepth: r.bitDepth, error };
}

/**
 * libFLAC's decode of the frames [bounds[i], bounds[i+1]) of `bytes` (`declared` samples by their headers), mixed
 * to mono in 1/2^(b-1) steps, b being STREAMINFO's depth. `head` (marker + STREAMINFO) goes first when a fresh
 * decoder is used, which `needsHead` streams (frames that refer to STREAMINFO) require.
 */
export async function decodeFrames(
  bytes: Uint8Array,
  bounds: number[],
  declared: number,
  info: Format,
  head: Uint8Array,
  needsHead: boolean,
): Promise<MonoDecode> {
  const kernel = needsHead ? undefined : decodeKernel(bytes, bounds, declared, info);
  if (kernel) {
    flacPaths.kernel++;
    return { samples: kernel, decoded: declared, ...info };
  }
  if (!needsHead && internalsKnown) {
    const k = await (shared ??= newDecoder().then(async (d) => (await d.ready, internals(d))));
    internalsKnown = k !== undefined;
    try {
      const result = k && decodeDirect(k, bytes, bounds, declared, info);
      if (result) {
        flacPaths.direct++;
        return result;
      }
    } catch {
      // A WASM trap: fall through to a fresh decoder.
    }
    shared = undefined; // dropped, not freed: its heap may be in any state
  }
  flacPaths.package++;
  const frames = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
  const fresh = await newDecoder();
  await fresh.ready;
  try {
    return await viaPackage(fresh, [head, ...frames], info);
  } finally {
    fresh.free();
  }
}
