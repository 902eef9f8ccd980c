// The spectral frame loop as it was in JavaScript before it moved to WebAssembly (src/kernels/assembly/
// spectra.ts), kept verbatim as the oracle: test/kernels-spectra.test.ts holds the kernel to it bit for bit, and
// scripts/bench/kernels.ts times the two. Not used by src/. Each frame's spectrum comes from `spectrumAt` (the
// FFT kernel, itself held to test/helpers/fft-oracle.ts in test/kernels.test.ts); the mel bank is the plan
// src/features/cepstrum.ts makes, its DCT coefficient-major as the old plan held it.

import {
  CEPSTRUM_SIZE,
  cepstrumPlan,
  ENERGY_FLOOR,
  MEL_BANDS,
  type CepstrumPlan,
} from '../../src/features/cepstrum.js';
import { frameSpectra, spectrumAt } from '../../src/features/fft.js';
import type { Spectra } from '../../src/features/spectra.js';
import type { ClipMemory } from '../../src/kernels/wasm.js';

const SPECTRAL_STRIDE = 2;

interface OldPlan extends CepstrumPlan {
  dct: Float64Array;
  logMel: Float64Array;
}

const plans = new Map<string, OldPlan>();

function oldPlan(sampleRate: number, frameSize: number): OldPlan {
  const key = `${sampleRate}/${frameSize}`;
  let plan = plans.get(key);
  if (!plan) {
    const dct = new Float64Array(CEPSTRUM_SIZE * MEL_BANDS);
    for (let k = 0; k < CEPSTRUM_SIZE; k++) {
      for (let n = 0; n < MEL_BANDS; n++)
        dct[k * MEL_BANDS + n] = Math.cos((Math.PI * (k + 1) * (n + 0.5)) / MEL_BANDS);
    }
    plan = { ...cepstrumPlan(sampleRate, frameSize), dct, logMel: new Float64Array(MEL_BANDS) };
    plans.set(key, plan);
  }
  return plan;
}

/** The old `spectralFrames` of src/features/frames.ts: `frameCount` energy frames, a spectral frame every second. */
export function spectralFramesJs(
  clip: ClipMemory,
  sampleRate: number,
  frameSize: number,
  hopSize: number,
  frameCount: number,
  f0Hz: Float32Array,
  out: Spectra,
): void {
  const { ltPower, cepstrum, melPower, centroid, flatness } = out;
  const shape = new Float64Array(2);
  const spectraOfClip = frameSpectra(clip, frameSize);
  const cepstra = oldPlan(sampleRate, frameSize);
  for (let f = 0, j = 0; f < frameCount; f += SPECTRAL_STRIDE, j++) {
    const power = spectrumAt(spectraOfClip, f * hopSize - (frameSize >> 1));
    if (centroid && flatness) {
      addFrameShape(power, ltPower, shape);
      centroid[j] = Number.isFinite(shape[0]) ? (shape[0] * sampleRate) / frameSize : 0;
      flatness[j] = shape[1];
    } else addPower(power, ltPower);
    melCepstrum(cepstra, power, cepstrum, j * CEPSTRUM_SIZE, melPower, j * MEL_BANDS, f0Hz[j] > 0);
  }
}

function addPower(power: Float64Array, sum: Float64Array): void {
  for (let k = 0; k < power.length; k++) sum[k] += power[k];
}

/** The old src/features/spectral.ts `addFrameShape`: the shape, and the frame's power added to `longTerm`. */
function addFrameShape(power: Float64Array, longTerm: Float64Array, shape: Float64Array): void {
  const n = power.length;
  let weighted = 0;
  let sum = 0;
  let logSum = 0;
  let product = 1;
  for (let k = 0; k < n; k++) {
    const p = power[k];
    longTerm[k] += p;
    const a = Math.sqrt(p);
    weighted += k * a;
    sum += a;
    product *= a > 1e-30 ? a : 1e-30;
    if ((k & 7) === 7) {
      logSum += Math.log(product);
      product = 1;
    }
  }
  logSum += Math.log(product);
  shape[0] = weighted / sum;
  shape[1] = sum > 0 ? (Math.exp(logSum / n) * n) / sum : 0;
}

/**
 * The old src/features/cepstrum.ts `melCepstrum`: each mel band's energy of one frame's power spectrum to
 * `melOut[melAt …]` and, when `withCepstrum`, c1 … c12 to `out[at …]`.
 */
function melCepstrum(
  p: OldPlan,
  power: Float64Array,
  out: Float32Array,
  at: number,
  melOut: Float32Array,
  melAt: number,
  withCepstrum = true,
): void {
  const { first, count, flat, dct, logMel } = p;
  for (let b = 0; b < MEL_BANDS; b++) {
    const k0 = first[b] - p.at[b];
    const end = p.at[b] + count[b];
    let e = 0;
    for (let j = p.at[b]; j < end; j++) e += flat[j] * power[k0 + j];
    logMel[b] = e;
    melOut[melAt + b] = e;
  }
  if (!withCepstrum) return;
  for (let b = 0; b < MEL_BANDS; b++) logMel[b] = Math.log(logMel[b] > ENERGY_FLOOR ? logMel[b] : ENERGY_FLOOR);
  for (let k = 0, d = 0; k < CEPSTRUM_SIZE; k++) {
    let c = 0;
    for (let n = 0; n < MEL_BANDS; n++, d++) c += dct[d] * logMel[n];
    out[at + k] = c;
  }
}
