import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The hot kernels, compiled from ./assembly (AssemblyScript) to one WebAssembly module with SIMD by
// `npm run build:kernels` (part of `npm run build`). WebAssembly gives what V8's JavaScript does not: f64x2
// vectors and enough registers for eight running sums at once; every sum keeps the order and the precision of
// the JavaScript it replaced, so the results are bit-identical (test/kernels*.test.ts hold them to that).
//
// One instance and one linear memory per thread, made on first use: a clip's samples are copied in once and
// every kernel reads them there; scratch is bump-allocated after them and dropped with the next clip.

// The WebAssembly API Node provides, typed here: @types/node does not declare it (TypeScript keeps it in the DOM lib).
interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

export interface KernelExports {
  memory: LinearMemory;
  decimate(src: number, n: number, k: number, dst: number): number;
  halve(src: number, n: number, dst: number): number;
  prefixSquares(x: number, n: number, e: number): void;
  dipsUnder(y: number, e: number, at: number, w: number, tauMin: number, tauMax: number, th: number, d: number): number;
  yinPeriod(x: number, e: number, at: number, w: number, tauMin: number, tauMax: number, th: number, d: number): number;
  powerSpectrum(
    x: number,
    m: number,
    oddBits: number,
    window: number,
    reverse: number,
    twiddles: number,
    splitCos: number,
    splitSin: number,
    z: number,
    power: number,
  ): void;
  // The spectral frame loop (assembly/spectra.ts; its plan laid out by src/features/spectra.ts).
  spectralFrames(plan: number, from: number, to: number): void;
  cepstra(
    logs: number,
    f0: number,
    frames: number,
    bands: number,
    coefficients: number,
    pairs: number,
    out: number,
  ): void;
  // The sample sweep and the true peak (assembly/sweep.ts, assembly/true-peak.ts).
  scanClip(
    x: number,
    n: number,
    hop: number,
    frameSize: number,
    frames: number,
    hopEnds: number,
    hopCount: number,
    k: number,
    out: number,
    frameEnergy: number,
    frameBandEnergy: number,
    blockPeak: number,
    energy: number,
    length: number,
    state: number,
    logs: number,
  ): void;
  loudSamples(
    x: number,
    n: number,
    blockPeak: number,
    blocks: number,
    hop: number,
    threshold: number,
    out: number,
  ): number;
  truePeakAround(x: number, n: number, candidates: number, count: number, branches: number): number;
}

/** A thread's instance and its bump allocator. */
export interface Kernels {
  k: KernelExports;
  /** First free byte of the linear memory. */
  top: number;
}

/** A clip's samples (f32) in the linear memory. */
export interface ClipMemory {
  kernels: Kernels;
  samplesAt: number;
  length: number;
}

const PAGE = 65536;
/**
 * Linear memory kept from clip to clip (a WebAssembly memory never shrinks): a thread that held a longer clip
 * gets a fresh instance, so a rare 20-minute 48 kHz clip does not pin a few hundred MB for the rest of the run.
 */
const KEEP_BYTES = 64 << 20;

// JavaScript's own Math.log for the kernels that log (assembly/sweep.ts): the results stay the JavaScript's.
const imports = { env: { log: Math.log } };

const CLIP_PAD = 16;

let module: object | undefined;
let instance: Kernels | undefined;

const WASM_URL = new URL('./kernels.wasm', import.meta.url);

function compiled(): object {
  module ??= new WebAssembly.Module(readFileSync(WASM_URL));
  return module;
}

/**
 * Compiles the kernels in this thread, or says in one line why it cannot: a checkout that was never built has no
 * kernels.wasm, and without this check every clip of a run would fail with the same ENOENT.
 */
export function kernelsProblem(url: URL = WASM_URL): string | undefined {
  try {
    if (url === WASM_URL) compiled();
    else new WebAssembly.Module(readFileSync(url));
    return undefined;
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unusable (${String(err)})`;
    return `the WebAssembly kernels ${fileURLToPath(url)} are ${reason}: build them with \`npm run build\` (npm ci runs it)`;
  }
}

/** Copies `samples` into this thread's memory, dropping the previous clip's scratch. */
export function loadClip(samples: Float32Array): ClipMemory {
  if (!instance || instance.k.memory.buffer.byteLength > KEEP_BYTES) {
    instance = { k: new WebAssembly.Instance(compiled(), imports).exports as unknown as KernelExports, top: 0 };
  }
  instance.top = 0;
  // Zeros before the samples: the filters of the sweep (assembly/sweep.ts) read x[−1], x[−2] as their initial state.
  alloc(instance, CLIP_PAD);
  const samplesAt = alloc(instance, samples.length * 4, false);
  new Float32Array(instance.k.memory.buffer, samplesAt, samples.length).set(samples);
  return { kernels: instance, samplesAt, length: samples.length };
}

/** `bytes` of scratch (16-byte aligned, zeroed unless told), growing the memory when needed; the address. */
export function alloc(kernels: Kernels, bytes: number, zero = true): number {
  const at = kernels.top;
  kernels.top = at + Math.ceil(bytes / 16) * 16;
  const memory = kernels.k.memory;
  if (kernels.top > memory.buffer.byteLength) memory.grow(Math.ceil((kernels.top - memory.buffer.byteLength) / PAGE));
  if (zero) new Uint8Array(memory.buffer, at, kernels.top - at).fill(0);
  return at;
}

/** A view of `n` doubles at `at`: made afresh after any growth, which detaches the old buffer. */
export function f64At(kernels: Kernels, at: number, n: number): Float64Array {
  return new Float64Array(kernels.k.memory.buffer, at, n);
}

// FLAC (src/audio/flac-kernel.ts): the decoder of the same module runs on an instance of its own, so that its
// memory (a file's frames in, their samples out, a few MB at a time) is never a clip's.
export interface FlacExports {
  memory: LinearMemory;
  flacDecode(
    src: number,
    bounds: number,
    frames: number,
    rate: number,
    channels: number,
    depth: number,
    out: number,
    room: number,
    work: number,
    done: number,
  ): number;
}

/** A new instance of the kernels for the FLAC decoder. */
export function flacInstance(): FlacExports {
  return new WebAssembly.Instance(compiled(), imports).exports as unknown as FlacExports;
}
