// The inner loops of `scanSamplesJs` (./scan-oracle.ts, the JavaScript oracle of src/kernels/assembly/sweep.ts): the running sums over one stretch of samples between two events.
// They live in `s`, a Float64Array of SLOTS slots, so a stretch picks up where the last one stopped.

// The running product behind Σ ln|y| is logged and reset once it leaves this range; factors within
// [1e-30, 1e30] keep it far inside the double range in between.
const PRODUCT_LOW = 1e-150;
const PRODUCT_HIGH = 1e150;
const FACTOR_LOW = 1e-30;

// The running sums between events, in one array so that `sweep` can carry them from one stretch to the next.
export const SQ = 0;
export const SUM = 1;
export const NON_ZERO = 2;
export const BLOCK_PEAK = 3;
export const K_SUM = 4;
// K-weighting state, direct form I: the last two inputs, shelf outputs and high-pass outputs.
const X1 = 5;
const X2 = 6;
const M1 = 7;
const M2 = 8;
const Y1 = 9;
const Y2 = 10;
// The speech-band high-pass: its sum of squares and its last two outputs (its inputs are X1, X2).
export const BAND_SQ = 11;
const B1 = 12;
const B2 = 13;
export const BAND_ABS = 14;
export const BAND_PRODUCT = 15;
export const BAND_LOG = 16;
export const SLOTS = 17;

/**
 * Adds samples [from, to) to the running sums in `s`; `k` holds the K-weighting coefficients (shelf b0 b1 b2
 * a1 a2, high-pass a1 a2), then the speech-band high-pass's (b0 a1 a2). A function of its own, called per stretch
 * between events, so V8 optimises it as a hot function: a loop over the whole clip in one call is compiled
 * on-stack part-way through the first clip, and in Node 20 that code deoptimised on every later clip (~3× slower).
 * Two loops over the stretch (it is ~100 samples, in L1 cache): in one loop the 27 live values and coefficients
 * outnumbered the 16 registers and V8 spilled the filter state to the stack every sample (`--print-opt-code`).
 */
export function sweep(samples: Float32Array, from: number, to: number, s: Float64Array, k: Float64Array): void {
  sweepLoudness(samples, from, to, s, k);
  sweepBand(samples, from, to, s, k);
}

function sweepLoudness(samples: Float32Array, from: number, to: number, s: Float64Array, k: Float64Array): void {
  const b0 = k[0];
  const b1 = k[1];
  const b2 = k[2];
  const sa1 = k[3];
  const sa2 = k[4];
  const ha1 = k[5];
  const ha2 = k[6];
  let sq = s[SQ];
  let sum = s[SUM];
  let bPeak = s[BLOCK_PEAK];
  let kSum = s[K_SUM];
  let x1 = s[X1];
  let x2 = s[X2];
  let m1 = s[M1];
  let m2 = s[M2];
  let y1 = s[Y1];
  let y2 = s[Y2];
  // Two samples a step, the state variables trading roles (x2, m2, y2 take the newer sample, then x1, m1, y1):
  // no shuffle of registers per sample, which V8 did through the stack. Every sum still adds in sample order.
  let i = from;
  for (; i + 1 < to; i += 2) {
    const xa = samples[i];
    const aa = Math.abs(xa);
    if (aa > bPeak) bPeak = aa; // not Math.max: a NaN sample is skipped, as every peak here always did
    sq += xa * xa;
    sum += xa;
    // The term of the previous output goes last: it is the only one on the recursive dependency chain.
    const ma = b0 * xa + b1 * x1 + b2 * x2 - sa2 * m2 - sa1 * m1;
    const ya = ma - 2 * m1 + m2 - ha2 * y2 - ha1 * y1;
    kSum += ya * ya;
    x2 = xa;
    m2 = ma;
    y2 = ya;
    const xb = samples[i + 1];
    const ab = Math.abs(xb);
    if (ab > bPeak) bPeak = ab;
    sq += xb * xb;
    sum += xb;
    const mb = b0 * xb + b1 * x2 + b2 * x1 - sa2 * m1 - sa1 * m2;
    const yb = mb - 2 * m2 + m1 - ha2 * y1 - ha1 * y2;
    kSum += yb * yb;
    x1 = xb;
    m1 = mb;
    y1 = yb;
  }
  if (i < to) {
    const x = samples[i];
    const a = Math.abs(x);
    if (a > bPeak) bPeak = a;
    sq += x * x;
    sum += x;
    const m = b0 * x + b1 * x1 + b2 * x2 - sa2 * m2 - sa1 * m1;
    const y = m - 2 * m1 + m2 - ha2 * y2 - ha1 * y1;
    kSum += y * y;
    // The inputs' state is stored by `sweepBand`, which reads the same samples.
    m2 = m1;
    m1 = m;
    y2 = y1;
    y1 = y;
  }
  s[SQ] = sq;
  s[SUM] = sum;
  s[BLOCK_PEAK] = bPeak;
  s[K_SUM] = kSum;
  s[M1] = m1;
  s[M2] = m2;
  s[Y1] = y1;
  s[Y2] = y2;
}

function sweepBand(samples: Float32Array, from: number, to: number, s: Float64Array, k: Float64Array): void {
  const g = k[7];
  const ba1 = k[8];
  const ba2 = k[9];
  let nonZero = s[NON_ZERO] | 0;
  let x1 = s[X1];
  let x2 = s[X2];
  let bandSq = s[BAND_SQ];
  let v1 = s[B1];
  let v2 = s[B2];
  let bandAbs = s[BAND_ABS];
  let bandProduct = s[BAND_PRODUCT];
  let bandLog = s[BAND_LOG];
  for (let i = from; i < to; i++) {
    const x = samples[i];
    const v = g * (x - 2 * x1 + x2) - ba2 * v2 - ba1 * v1;
    v2 = v1;
    v1 = v;
    bandSq += v * v;
    if (x !== 0) {
      nonZero++;
      const av = Math.abs(v);
      bandAbs += av;
      bandProduct *= av > FACTOR_LOW ? av : FACTOR_LOW;
      if (bandProduct < PRODUCT_LOW || bandProduct > PRODUCT_HIGH) {
        bandLog += Math.log(bandProduct);
        bandProduct = 1;
      }
    }
    x2 = x1;
    x1 = x;
  }
  s[NON_ZERO] = nonZero;
  s[X1] = x1;
  s[X2] = x2;
  s[BAND_SQ] = bandSq;
  s[B1] = v1;
  s[B2] = v2;
  s[BAND_ABS] = bandAbs;
  s[BAND_PRODUCT] = bandProduct;
  s[BAND_LOG] = bandLog;
}
