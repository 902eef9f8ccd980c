import { melFilterbank } from '../dsp/mfcc.js';

// Mel cepstrum of each spectral frame, from the power spectrum the frame features already computed: the
// timbre half of a clip's voice signature (the other half is its pitch). Only the filter bank and a small DCT
// are added per frame (≈ 900 operations), no FFT of its own. This is the bank's and the DCT's plan; the sums run
// in the spectral frame loop (src/features/spectra.ts).
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
/** A band's energy is floored here before its log: digital silence stays finite. */
export const ENERGY_FLOOR = 1e-12;

export interface CepstrumPlan {
  /** Filter b covers bins first[b] … first[b] + count[b] − 1, its weights at flat[at[b] …]. */
  first: Int32Array;
  count: Int32Array;
  at: Int32Array;
  /** Every filter's weights end to end: one table in the kernels' memory, not one per filter. */
  flat: Float64Array;
  /**
   * The DCT-II basis two coefficients at a time, interleaved, as the kernel's vectors read it: the weight of band
   * n in c(k+1) is dctPairs[(k>>1)·2·MEL_BANDS + 2n + (k&1)]. `CEPSTRUM_SIZE` is even.
   */
  dctPairs: Float64Array;
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
  const count = Int32Array.from(weights, (w) => w.length);
  const at = new Int32Array(MEL_BANDS);
  for (let b = 1; b < MEL_BANDS; b++) at[b] = at[b - 1] + count[b - 1];
  const flat = new Float64Array(at[MEL_BANDS - 1] + count[MEL_BANDS - 1]);
  for (let b = 0; b < MEL_BANDS; b++) flat.set(weights[b], at[b]);
  const dctPairs = new Float64Array(CEPSTRUM_SIZE * MEL_BANDS);
  for (let k = 0; k < CEPSTRUM_SIZE; k++) {
    for (let n = 0; n < MEL_BANDS; n++) {
      dctPairs[(k >> 1) * 2 * MEL_BANDS + 2 * n + (k & 1)] = Math.cos((Math.PI * (k + 1) * (n + 0.5)) / MEL_BANDS);
    }
  }
  return { first, count, at, flat, dctPairs };
}

/** Centre frequency (Hz) of each mel band at this sample rate. */
export function melBandCentresHz(sampleRate: number): Float64Array {
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const lo = mel(LOW_HZ);
  const step = (mel(Math.min(HIGH_HZ, 0.45 * sampleRate)) - lo) / (MEL_BANDS + 1);
  return Float64Array.from({ length: MEL_BANDS }, (_, b) => 700 * (10 ** ((lo + (b + 1) * step) / 2595) - 1));
}
