// The spectral frames of a clip: each frame's Hann-windowed power spectrum, summed into the long-term spectrum,
// weighed into the mel bands and, in voiced frames, turned into a mel cepstrum. The loop runs in WebAssembly
// (src/kernels/assembly/spectra.ts) over a block of frames per call, on the clip's samples already in the
// kernels' memory: per frame it had cost a call into the kernel and JavaScript loops over the bins, more than
// the FFT itself. The logs stay here, between the block's two kernel calls (WebAssembly's own log may round
// differently); every sum keeps its order and precision, so the results are bit-identical to the JavaScript
// loop it replaced (test/helpers/spectra-oracle.ts, test/kernels-spectra.test.ts).

import { alloc, type ClipMemory } from '../kernels/wasm.js';
import { CEPSTRUM_SIZE, cepstrumPlan, ENERGY_FLOOR, MEL_BANDS } from './cepstrum.js';
import { frameSpectra } from './fft.js';
import { frameShape } from './spectral.js';

/** What the spectral frames fill: the long-term power per bin, cepstra, mel energies and the opt-in shape. */
export interface Spectra {
  ltPower: Float64Array;
  cepstrum: Float32Array;
  melPower: Float32Array;
  centroid?: Float32Array;
  flatness?: Float32Array;
}

export interface SpectralGrid {
  sampleRate: number;
  /** FFT length; frame j starts at j·step − frameSize/2, centred on its instant. */
  frameSize: number;
  step: number;
  /** F0 per spectral frame: only voiced frames (f0 > 0) get a cepstrum, the only ones a voice signature reads. */
  f0Hz: Float32Array;
}

/**
 * Frames per kernel call: 20 s of audio at a 20 ms step, so most clips take one; the block's outputs (~300 KB)
 * are scratch, whatever the clip's length. With the spectral shape, each frame's spectrum is kept too: fewer.
 */
const BLOCK = 1024;
const SHAPE_BLOCK = 64;

/** The kernel's plan (`Plan` in assembly/spectra.ts), one i32 per field, in this order. */
const PLAN_FIELDS = [
  'samples',
  'length',
  'start',
  'step',
  'm',
  'oddBits',
  'window',
  'reverse',
  'twiddles',
  'splitCos',
  'splitSin',
  'z',
  'edge',
  'power',
  'longTerm',
  'bands',
  'first',
  'count',
  'at',
  'flat',
  'mel',
  'energy',
  'spectra',
] as const;

/** Fills `out` from the spectral frames of `clip` (out.melPower's length sets their count). */
export function spectralFrames(clip: ClipMemory, grid: SpectralGrid, out: Spectra): void {
  const { kernels } = clip;
  const { sampleRate, frameSize, step, f0Hz } = grid;
  const count = out.melPower.length / MEL_BANDS;
  if (count === 0) return;
  const shaped = out.centroid !== undefined && out.flatness !== undefined;
  const block = Math.min(count, shaped ? SHAPE_BLOCK : BLOCK);
  const bins = frameSize / 2 + 1;
  const fft = frameSpectra(clip, frameSize);
  const mel = cepstrumPlan(sampleRate, frameSize);
  const copy = (a: Float64Array | Int32Array): number => {
    const at = alloc(kernels, a.byteLength, false);
    new Uint8Array(kernels.k.memory.buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return at;
  };
  const at = {
    plan: alloc(kernels, PLAN_FIELDS.length * 4, false),
    longTerm: alloc(kernels, bins * 8),
    first: copy(mel.first),
    count: copy(mel.count),
    at: copy(mel.at),
    flat: copy(mel.flat),
    pairs: copy(mel.dctPairs),
    mel: alloc(kernels, block * MEL_BANDS * 4, false),
    energy: alloc(kernels, block * MEL_BANDS * 8, false),
    f0: alloc(kernels, block * 4, false),
    cepstrum: alloc(kernels, block * CEPSTRUM_SIZE * 4, false),
    spectra: shaped ? alloc(kernels, block * bins * 8, false) : 0,
  };
  const fields: Record<(typeof PLAN_FIELDS)[number], number> = {
    samples: clip.samplesAt,
    length: clip.length,
    start: -(frameSize >> 1),
    step,
    m: frameSize >> 1,
    oddBits: fft.fft.oddBits ? 1 : 0,
    ...fft.tables,
    z: fft.z,
    edge: fft.edge,
    power: fft.power,
    longTerm: at.longTerm,
    bands: MEL_BANDS,
    first: at.first,
    count: at.count,
    at: at.at,
    flat: at.flat,
    mel: at.mel,
    energy: at.energy,
    spectra: at.spectra,
  };
  // Views made after the last allocation: the kernels allocate nothing, so the memory does not grow under them.
  const buffer = kernels.k.memory.buffer;
  new Int32Array(buffer, at.plan, PLAN_FIELDS.length).set(PLAN_FIELDS.map((f) => fields[f]));
  const melView = new Float32Array(buffer, at.mel, block * MEL_BANDS);
  const energy = new Float64Array(buffer, at.energy, block * MEL_BANDS);
  const f0View = new Float32Array(buffer, at.f0, block);
  const cepstrumView = new Float32Array(buffer, at.cepstrum, block * CEPSTRUM_SIZE);
  const k = kernels.k;
  for (let from = 0; from < count; from += block) {
    const n = Math.min(block, count - from);
    k.spectralFrames(at.plan, from, from + n);
    out.melPower.set(melView.subarray(0, n * MEL_BANDS), from * MEL_BANDS);
    f0View.set(f0Hz.subarray(from, from + n));
    logEnergies(energy, f0View, n);
    k.cepstra(at.energy, at.f0, n, MEL_BANDS, CEPSTRUM_SIZE, at.pairs, at.cepstrum);
    out.cepstrum.set(cepstrumView.subarray(0, n * CEPSTRUM_SIZE), from * CEPSTRUM_SIZE);
    if (shaped) shapes(new Float64Array(buffer, at.spectra, n * bins), bins, sampleRate, from, out);
  }
  out.ltPower.set(new Float64Array(buffer, at.longTerm, bins));
}

/** The log of each band's energy (floored) in the voiced frames, in place: the cepstra read them. */
function logEnergies(energy: Float64Array, f0: Float32Array, frames: number): void {
  for (let j = 0; j < frames; j++) {
    if (!(f0[j] > 0)) continue;
    for (let b = j * MEL_BANDS, end = b + MEL_BANDS; b < end; b++) {
      const e = energy[b];
      energy[b] = Math.log(e > ENERGY_FLOOR ? e : ENERGY_FLOOR);
    }
  }
}

function shapes(spectra: Float64Array, bins: number, sampleRate: number, from: number, out: Spectra): void {
  const { centroid, flatness } = out;
  if (!centroid || !flatness) return;
  const shape = new Float64Array(2);
  const frameSize = 2 * (bins - 1);
  for (let j = 0; j * bins < spectra.length; j++) {
    frameShape(spectra.subarray(j * bins, (j + 1) * bins), shape);
    centroid[from + j] = Number.isFinite(shape[0]) ? (shape[0] * sampleRate) / frameSize : 0;
    flatness[from + j] = shape[1];
  }
}
