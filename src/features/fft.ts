// Hann-windowed power spectrum of a real frame: the N real samples are packed into N/2 complex points
// (even samples real, odd imaginary), transformed by a radix-4 FFT of N/2 points, and the two interleaved
// half-spectra are separated at the end. The tables are made once per size; the transform runs in WebAssembly
// (src/kernels/assembly/fft.ts: a complex value to an f64x2 vector, bit-identical to the JavaScript it replaced,
// which test/helpers/fft-oracle.ts keeps), on the clip's samples in the kernels' memory, so a frame allocates
// nothing. This replaced fft.js, whose transform writes into a plain JS array: the spectra were most of the
// feature stage's time.

import { alloc, f64At, loadClip, type ClipMemory } from '../kernels/wasm.js';

/** A reusable real FFT of one size (a power of two, at least 8), shared by every clip. */
export interface RealFft {
  size: number;
  window: Float64Array;
  /** Bit reversal over N/2 points. */
  reverse: Int32Array;
  /**
   * Per radix-4 pass of quarter length L (L > 1), for k < L and t = 1, 2, 3, with c, s the cos and −sin of
   * t·2πk/4L: c, c, −s, s, the two vectors a complex product by W^t·k takes, as the kernel loads them.
   */
  twiddles: Float64Array;
  /** cos, −sin of 2πk/N for k ≤ N/4, to separate the half-spectra. */
  splitCos: Float64Array;
  splitSin: Float64Array;
  /** log2(N/2) is odd: a radix-2 pass comes first. */
  oddBits: boolean;
}

const cache = new Map<number, RealFft>();

export function realFft(size: number): RealFft {
  let entry = cache.get(size);
  if (!entry) {
    entry = makeRealFft(size);
    cache.set(size, entry);
  }
  return entry;
}

function makeRealFft(size: number): RealFft {
  const m = size >> 1;
  const bits = Math.log2(m);
  if (!Number.isInteger(bits) || m < 4) throw new Error(`FFT size ${size} is not a power of two ≥ 8`);
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  const reverse = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  const twiddles: number[] = [];
  for (let quarter = bits % 2 === 1 ? 2 : 4; quarter < m; quarter *= 4) {
    for (let k = 0; k < quarter; k++) {
      for (let t = 1; t <= 3; t++) {
        const phase = (2 * Math.PI * t * k) / (4 * quarter);
        const [c, s] = [Math.cos(phase), -Math.sin(phase)];
        twiddles.push(c, c, -s, s);
      }
    }
  }
  const splitCos = new Float64Array(m / 2 + 1);
  const splitSin = new Float64Array(m / 2 + 1);
  for (let k = 0; k <= m / 2; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / size);
    splitSin[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    window,
    reverse,
    twiddles: Float64Array.from(twiddles),
    splitCos,
    splitSin,
    oddBits: bits % 2 === 1,
  };
}

/** A clip's spectra of one size: the tables and buffers in the clip's kernel memory (addresses). */
export interface FrameSpectra {
  clip: ClipMemory;
  fft: RealFft;
  tables: { window: number; reverse: number; twiddles: number; splitCos: number; splitSin: number };
  /** The transform, in place, interleaved (re, im); a frame past either end of the clip, zero-padded; the power. */
  z: number;
  edge: number;
  power: number;
  /** `power` as doubles, made afresh when the memory has grown. */
  view: Float64Array;
}

/** Copies the tables of size `size` next to `clip`'s samples, with the buffers a frame needs. */
export function frameSpectra(clip: ClipMemory, size: number): FrameSpectra {
  const fft = realFft(size);
  const { kernels } = clip;
  const copy = (a: Float64Array | Int32Array) => {
    const at = alloc(kernels, a.byteLength, false);
    new Uint8Array(kernels.k.memory.buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return at;
  };
  const tables = {
    window: copy(fft.window),
    reverse: copy(fft.reverse),
    twiddles: copy(fft.twiddles),
    splitCos: copy(fft.splitCos),
    splitSin: copy(fft.splitSin),
  };
  const z = alloc(kernels, size * 8, false);
  const edge = alloc(kernels, size * 4, false);
  const power = alloc(kernels, (size / 2 + 1) * 8, false);
  return { clip, fft, tables, z, edge, power, view: f64At(kernels, power, size / 2 + 1) };
}

/**
 * Hann-windowed power spectrum (bins 0…size/2) of the clip's samples [start, start+size); samples outside the
 * clip count as zero. The array is the kernels' memory: read it before the next frame.
 */
export function spectrumAt(s: FrameSpectra, start: number): Float64Array {
  const { clip, fft, tables: t } = s;
  const { size } = fft;
  const memory = clip.kernels.k.memory;
  let frame = clip.samplesAt + start * 4;
  if (start < 0 || start + size > clip.length) {
    const first = Math.max(0, -start);
    const end = Math.max(first, Math.min(size, clip.length - start));
    const f32 = new Float32Array(memory.buffer);
    const edge = s.edge >> 2;
    f32.fill(0, edge, edge + size);
    const from = (clip.samplesAt >> 2) + start;
    f32.copyWithin(edge + first, from + first, from + end);
    frame = s.edge;
  }
  clip.kernels.k.powerSpectrum(
    frame,
    size >> 1,
    fft.oddBits ? 1 : 0,
    t.window,
    t.reverse,
    t.twiddles,
    t.splitCos,
    t.splitSin,
    s.z,
    s.power,
  );
  if (s.view.buffer !== memory.buffer) s.view = f64At(clip.kernels, s.power, size / 2 + 1);
  return s.view;
}

/**
 * `spectrumAt` for samples not in the kernels' memory (the hum check's one window, the tests): the frame alone is
 * copied in, replacing the clip there. Writes into `power` (length size/2+1).
 */
export function powerSpectrum(f: RealFft, samples: Float32Array, start: number, power: Float64Array): void {
  const { size } = f;
  const frame = new Float32Array(size);
  const first = Math.max(0, -start);
  const end = Math.max(first, Math.min(size, samples.length - start));
  if (end > first) frame.set(samples.subarray(start + first, start + end), first);
  power.set(spectrumAt(frameSpectra(loadClip(frame), size), 0));
}
