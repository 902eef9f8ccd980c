import { melFilterbank } from '../dsp/mfcc.js';

// Mel cepstrum of each spectral frame, from the power spectrum the frame features already computed: the
// timbre half of a clip's voice signature (the other half is its pitch). Only the filter bank and a small DCT
// are added per frame (≈ 900 operations), no FFT of its own.
//
// The bank is laid on each bin's exact frequency over a fixed band (133–6,855 Hz, as src/dsp/mfcc.ts and CMU
// Sphinx), so clips at 16, 22.05 and 48 kHz give comparable coefficients without resampling. c0 (the level) is
// left out: a voice does not change with the recording's gain.

/** Cepstral coefficients kept per frame (c1 … c12). */
export const CEPSTRUM_SIZE = 12;
/** Mel bands per spectral frame (their energies are kept too: speech activity reads them). */
export const MEL_BANDS = 26;
const LOW_HZ = 133.33;
const HIGH_HZ = 6855.5;
const ENERGY_FLOOR = 1e-12;

export interface CepstrumPlan {
  /** Filter b covers bins first[b] … first[b] + count[b] − 1, its weights at flat[at[b] …]. */
  first: Int32Array;
  count: Int32Array;
  at: Int32Array;
  /** Every filter's weights end to end: one monomorphic array, not one per filter, in the per-frame loop. */
  flat: Float64Array;
  dct: Float64Array;
  logMel: Float64Array;
}

const plans = new Map<string, CepstrumPlan>();

/** The plan for one rate and frame size, made once per thread: every clip at that rate shares it. */
export function cepstrumPlan(sampleRate: number, frameSize: number): CepstrumPlan {
  const key = `${sampleRate}/${frameSize}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = makePlan(sampleRate, frameSize);
    plans.set(key, plan);
  }
  return plan;
}

function makePlan(sampleRate: number, frameSize: number): CepstrumPlan {
  const high = Math.min(HIGH_HZ, 0.45 * sampleRate);
  const { first, weights } = melFilterbank(LOW_HZ, high, MEL_BANDS, sampleRate / frameSize);
  const dct = new Float64Array(CEPSTRUM_SIZE * MEL_BANDS);
  for (let k = 0; k < CEPSTRUM_SIZE; k++) {
    for (let n = 0; n < MEL_BANDS; n++) dct[k * MEL_BANDS + n] = Math.cos((Math.PI * (k + 1) * (n + 0.5)) / MEL_BANDS);
  }
  const count = Int32Array.from(weights, (w) => w.length);
  const at = new Int32Array(MEL_BANDS);
  for (let b = 1; b < MEL_BANDS; b++) at[b] = at[b - 1] + count[b - 1];
  const flat = new Float64Array(at[MEL_BANDS - 1] + count[MEL_BANDS - 1]);
  for (let b = 0; b < MEL_BANDS; b++) flat.set(weights[b], at[b]);
  return { first, count, at, flat, dct, logMel: new Float64Array(MEL_BANDS) };
}

/** Centre frequency (Hz) of each mel band at this sample rate. */
export function melBandCentresHz(sampleRate: number): Float64Array {
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const lo = mel(LOW_HZ);
  const step = (mel(Math.min(HIGH_HZ, 0.45 * sampleRate)) - lo) / (MEL_BANDS + 1);
  return Float64Array.from({ length: MEL_BANDS }, (_, b) => 700 * (10 ** ((lo + (b + 1) * step) / 2595) - 1));
}

/**
 * Writes each mel band's energy of one frame's power spectrum to `melOut[melAt …]` and, when `withCepstrum`,
 * c1 … c12 to `out[at …]` (the logs and the DCT are most of the cost, and only voiced frames are read).
 */
export function melCepstrum(
  p: CepstrumPlan,
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
