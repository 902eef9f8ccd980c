// The spectral frame loop (see src/features/spectra.ts): each frame's power spectrum, its share of the long-term
// spectrum and its mel band energies in one call per block of frames, and the cepstra's DCT in another. Every
// sum keeps the order and the precision of the JavaScript it replaced (test/helpers/spectra-oracle.ts), so the
// results are bit-identical; the logs between the two calls stay in JavaScript.

import { powerSpectrum } from './fft';

/** A clip's frame loop, laid out by src/features/spectra.ts (`PLAN_FIELDS` there): addresses are byte offsets. */
@unmanaged
class Plan {
  /** The clip's f32 samples and their count. */
  samples: usize;
  length: i32;
  /** Where frame 0 starts (−size/2: a frame is centred on its instant) and the samples from frame to frame. */
  start: i32;
  step: i32;
  /** The FFT: N/2, the tables and buffers of powerSpectrum (fft.ts); `edge` holds a zero-padded frame. */
  m: i32;
  oddBits: i32;
  window: usize;
  reverse: usize;
  twiddles: usize;
  splitCos: usize;
  splitSin: usize;
  z: usize;
  edge: usize;
  power: usize;
  /** f64 per bin: the sum of every frame's power. */
  longTerm: usize;
  /** The mel bank: filter b covers bins first[b] … first[b] + count[b] − 1, its weights at flat[at[b] …]. */
  bands: i32;
  first: usize;
  count: usize;
  at: usize;
  flat: usize;
  /** Per frame of the block, per band: the energy as f32 (the features' melPower) and as f64 (for the logs). */
  mel: usize;
  energy: usize;
  /** Per frame of the block, its power spectrum (f64 per bin) when the spectral shape is asked for; else 0. */
  spectra: usize;
}

/** Frames from … to − 1 of the plan's clip; the block's outputs start at its frame `from`. */
export function spectralFrames(plan: usize, from: i32, to: i32): void {
  const p = changetype<Plan>(plan);
  const size = p.m << 1;
  const bins = p.m + 1;
  const bands = p.bands;
  for (let j = from; j < to; j++) {
    const start = p.start + j * p.step;
    let frame = p.samples + (<usize>start << 2);
    if (start < 0 || start + size > p.length) {
      const first = max(0, -start);
      const end = max(first, min(size, p.length - start));
      memory.fill(p.edge, 0, <usize>size << 2);
      memory.copy(p.edge + (<usize>first << 2), p.samples + (<usize>(start + first) << 2), <usize>(end - first) << 2);
      frame = p.edge;
    }
    powerSpectrum(frame, p.m, p.oddBits != 0, p.window, p.reverse, p.twiddles, p.splitCos, p.splitSin, p.z, p.power);
    addPower(p.power, p.longTerm, bins);
    const row = <usize>(j - from);
    if (p.spectra != 0) memory.copy(p.spectra + row * (<usize>bins << 3), p.power, <usize>bins << 3);
    const mel = p.mel + ((row * <usize>bands) << 2);
    const energy = p.energy + ((row * <usize>bands) << 3);
    // Two bands at a time: each band's sum is its own chain, in its order, and the two chains overlap.
    for (let b = 0; b < bands; b += 2) {
      const b1 = min(b + 1, bands - 1);
      const at0 = load<i32>(p.at + (<usize>b << 2));
      const at1 = load<i32>(p.at + (<usize>b1 << 2));
      const n0 = load<i32>(p.count + (<usize>b << 2));
      const n1 = b1 > b ? load<i32>(p.count + (<usize>b1 << 2)) : 0;
      const w0 = p.flat + (<usize>at0 << 3);
      const w1 = p.flat + (<usize>at1 << 3);
      const x0 = p.power + (<usize>load<i32>(p.first + (<usize>b << 2)) << 3);
      const x1 = p.power + (<usize>load<i32>(p.first + (<usize>b1 << 2)) << 3);
      let e0: f64 = 0;
      let e1: f64 = 0;
      const both = min(n0, n1);
      let i = 0;
      for (; i < both; i++) {
        const o = <usize>i << 3;
        e0 += load<f64>(w0 + o) * load<f64>(x0 + o);
        e1 += load<f64>(w1 + o) * load<f64>(x1 + o);
      }
      for (let r = i; r < n0; r++) e0 += load<f64>(w0 + (<usize>r << 3)) * load<f64>(x0 + (<usize>r << 3));
      for (let r = i; r < n1; r++) e1 += load<f64>(w1 + (<usize>r << 3)) * load<f64>(x1 + (<usize>r << 3));
      store<f32>(mel + (<usize>b << 2), <f32>e0);
      store<f64>(energy + (<usize>b << 3), e0);
      if (b1 > b) {
        store<f32>(mel + (<usize>b1 << 2), <f32>e1);
        store<f64>(energy + (<usize>b1 << 3), e1);
      }
    }
  }
}

/** sum[k] += power[k] over n bins: each bin its own sum, two to a vector. */
@inline
function addPower(power: usize, sum: usize, n: i32): void {
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const o = <usize>k << 3;
    v128.store(sum + o, f64x2.add(v128.load(sum + o), v128.load(power + o)));
  }
  if (k < n) store<f64>(sum + (<usize>k << 3), load<f64>(sum + (<usize>k << 3)) + load<f64>(power + (<usize>k << 3)));
}

/**
 * The DCT of `frames` frames' log mel energies (`bands` f64 each, at logs) into `coefficients` f32 each at out,
 * for the frames whose f0 (f32 at f0) is above 0; 0 for the others. `pairs` holds the DCT basis two coefficients
 * at a time, interleaved: pairs[(k/2)·2·bands + 2n + k%2] is coefficient k's weight of band n, so two
 * coefficients' sums run side by side in one vector, each in the order n = 0 … bands − 1. `coefficients` is even.
 */
export function cepstra(
  logs: usize,
  f0: usize,
  frames: i32,
  bands: i32,
  coefficients: i32,
  pairs: usize,
  out: usize,
): void {
  const stride = <usize>bands << 4;
  for (let j = 0; j < frames; j++) {
    const o = out + ((<usize>j * <usize>coefficients) << 2);
    const voiced = load<f32>(f0 + (<usize>j << 2)) > 0;
    const x = logs + ((<usize>j * <usize>bands) << 3);
    for (let k = 0; k < coefficients; k += 2) {
      let c = f64x2.splat(0);
      if (voiced) {
        const w = pairs + <usize>(k >> 1) * stride;
        for (let n = 0; n < bands; n++) {
          c = f64x2.add(c, f64x2.mul(v128.load(w + (<usize>n << 4)), v128.load64_splat(x + (<usize>n << 3))));
        }
      }
      store<f32>(o + (<usize>k << 2), <f32>f64x2.extract_lane(c, 0));
      store<f32>(o + (<usize>k << 2), <f32>f64x2.extract_lane(c, 1), 4);
    }
  }
}
