import { highPassFilter, shelfFilter } from '../dsp/loudness.js';
import { butterworthHighPass, SPEECH_BAND_HZ } from '../dsp/speech-band.js';
import { truePeakThreshold } from '../dsp/true-peak.js';

// One pass over a clip's samples for everything any analyzer needs sample by sample: frame energies,
// block peaks, zero crossings, sums for level, DC and WADA-SNR, the K-weighted loudness hops and the loud
// samples (true-peak candidates, clipping). Separate passes each cost a walk over the clip and their own
// loop overhead, and the K-weighting filter's recursion leaves the CPU idle between samples: the rest of
// the work fills that idle time.

/** Whole-clip sums, all in sample order from the first sample, so they equal a plain loop's. */
export interface SampleStats {
  count: number;
  sum: number;
  sumSquares: number;
  sumAbs: number;
  /** Samples that are not exactly zero. */
  nonZero: number;
  /** Smallest non-zero |sample| (Infinity when there is none). */
  minNonZeroAbs: number;
  /** Σ ln|x| over the non-zero samples; NaN when some |x| lies outside [1e-30, 1e30], where the running product used for it could leave the double range. */
  sumLogAbs: number;
  /** Indices, ascending, of the samples with |x| ≥ `loudThreshold`: the true-peak candidates, and every sample a clipping run can hold. */
  loud: Int32Array;
  /** The sample peak less `TRUE_PEAK_WINDOW_DB` (`truePeakThreshold`); 0 for a silent clip, whose `loud` is then empty. */
  loudThreshold: number;
  /** Σ|y| and Σ ln|y| of the speech-band signal y over the same samples as `nonZero` (|y| floored at 1e-30): WADA-SNR without the rumble. */
  bandSumAbs: number;
  bandSumLogAbs: number;
}

/** Sums of K-weighted squares per 100 ms loudness hop (BS.1770), and each hop's length in samples. */
export interface KWeightedHops {
  energy: Float64Array;
  length: Float64Array;
}

export interface SampleScan {
  stats: SampleStats;
  hops: KWeightedHops;
  /** Peak |sample| per hop-long block. */
  blockPeak: Float64Array;
  /** Σx² over each frame's window [lo, hi). */
  frameEnergy: Float64Array;
  /** The same over the signal high-passed at `SPEECH_BAND_HZ`: speech without the rumble below it. */
  frameBandEnergy: Float64Array;
  /** Sign changes between consecutive samples inside each frame's window. */
  frameCrossings: Int32Array;
  samplePeak: number;
}

const HOPS_PER_SEC = 10;
// "No further event" as an integer, so positions stay small integers for the JIT.
const NEVER = 0x7fffffff;
// The running product behind Σ ln|x| is logged and reset once it leaves this range; factors within
// [1e-30, 1e30] keep it far inside the double range in between.
const PRODUCT_LOW = 1e-150;
const PRODUCT_HIGH = 1e150;
const FACTOR_LOW = 1e-30;
const FACTOR_HIGH = 1e30;

// The running sums between events, in one array so that `sweep` can carry them from one stretch to the next.
const SQ = 0;
const SUM = 1;
const SUM_ABS = 2;
const CROSSINGS = 3;
const LAST_NON_NEGATIVE = 4;
const NON_ZERO = 5;
const MIN_NON_ZERO = 6;
const PRODUCT = 7;
const SUM_LOG = 8;
const BLOCK_PEAK = 9;
const K_SUM = 10;
// K-weighting state, direct form I: the last two inputs, shelf outputs and high-pass outputs.
const X1 = 11;
const X2 = 12;
const M1 = 13;
const M2 = 14;
const Y1 = 15;
const Y2 = 16;
// The speech-band high-pass: its sum of squares and its last two outputs (its inputs are X1, X2).
const BAND_SQ = 17;
const B1 = 18;
const B2 = 19;
const BAND_ABS = 20;
const BAND_PRODUCT = 21;
const BAND_LOG = 22;
const SLOTS = 23;

/**
 * Frames are `frameSize` windows centred on multiples of `hopSize`, clipped to the clip; blocks are
 * [b·hop, (b+1)·hop). The clip is swept from event to event (a block end, a frame's window edge, a loudness
 * hop end), and the running sums are recorded at each: no per-sample arrays, so nothing proportional to the
 * clip is allocated besides the loud-sample list, which a second look at the few loudest blocks fills.
 */
export function scanSamples(samples: Float32Array, sampleRate: number, hopSize: number, frameSize: number): SampleScan {
  const n = samples.length;
  const frames = n === 0 ? 0 : Math.max(1, Math.ceil(n / hopSize));
  const half = frameSize >> 1;
  const sqLo = new Float64Array(frames);
  const bandLo = new Float64Array(frames);
  const frameBandEnergy = new Float64Array(frames);
  const crossLo = new Int32Array(frames);
  const frameEnergy = new Float64Array(frames);
  const frameCrossings = new Int32Array(frames);
  const blockPeak = new Float64Array(frames);
  const hopCount = Math.floor((n * HOPS_PER_SEC) / sampleRate);
  const energy = new Float64Array(hopCount);
  const length = new Float64Array(hopCount);
  const shelf = shelfFilter(sampleRate);
  const highPass = highPassFilter(sampleRate);
  const band = butterworthHighPass(sampleRate, SPEECH_BAND_HZ);
  const k = Float64Array.of(
    shelf.b0,
    shelf.b1,
    shelf.b2,
    shelf.a1,
    shelf.a2,
    highPass.a1,
    highPass.a2,
    band.b0,
    band.a1,
    band.a2,
  );
  const s = new Float64Array(SLOTS);
  s[LAST_NON_NEGATIVE] = +(n > 0 && samples[0] >= 0);
  s[MIN_NON_ZERO] = Infinity;
  s[PRODUCT] = 1;
  s[BAND_PRODUCT] = 1;

  let peak = 0;
  let fLo = 0;
  let fHi = 0;
  let nextLo = frames > 0 ? 0 : NEVER;
  let nextHi = frames > 0 ? Math.min(n, frameSize - half) : NEVER;
  let block = 0;
  let blockEnd = Math.min(n, hopSize);
  let hop = 0;
  let hopStart = 0;
  let nextHop = hopEnd(0, hopCount, sampleRate);
  for (let i = 0; ;) {
    // Events at position i: the sums so far cover samples [0, i).
    while (nextLo === i) {
      // Crossings inside [lo, hi) are those at lo+1 … hi−1: the one at lo itself (with lo−1) is excluded.
      const atLo = i > 0 ? +(samples[i] >= 0) ^ +(samples[i - 1] >= 0) : 0;
      sqLo[fLo] = s[SQ];
      bandLo[fLo] = s[BAND_SQ];
      crossLo[fLo] = s[CROSSINGS] + atLo;
      nextLo = ++fLo < frames ? Math.max(0, fLo * hopSize - half) : NEVER;
    }
    while (nextHi === i) {
      frameEnergy[fHi] = s[SQ] - sqLo[fHi];
      frameBandEnergy[fHi] = s[BAND_SQ] - bandLo[fHi];
      frameCrossings[fHi] = Math.max(0, s[CROSSINGS] - crossLo[fHi]);
      nextHi = ++fHi < frames ? Math.min(n, fHi * hopSize - half + frameSize) : NEVER;
    }
    if (i === blockEnd && block < frames) {
      blockPeak[block++] = s[BLOCK_PEAK];
      if (s[BLOCK_PEAK] > peak) peak = s[BLOCK_PEAK];
      s[BLOCK_PEAK] = 0;
      blockEnd = Math.min(n, blockEnd + hopSize);
    }
    if (i === nextHop) {
      energy[hop] = s[K_SUM];
      length[hop] = i - hopStart;
      s[K_SUM] = 0;
      hopStart = i;
      nextHop = hopEnd(++hop, hopCount, sampleRate);
    }
    if (i >= n) break;
    const end = Math.min(nextLo, nextHi, blockEnd, nextHop);
    sweep(samples, i, end, s, k);
    i = end;
  }

  const loudThreshold = truePeakThreshold(peak);
  const nonZero = s[NON_ZERO];
  const usable = s[MIN_NON_ZERO] >= FACTOR_LOW && peak <= FACTOR_HIGH;
  return {
    stats: {
      count: n,
      sum: s[SUM],
      sumSquares: s[SQ],
      sumAbs: s[SUM_ABS],
      nonZero,
      minNonZeroAbs: s[MIN_NON_ZERO],
      sumLogAbs: nonZero === 0 || usable ? s[SUM_LOG] + Math.log(s[PRODUCT]) : NaN,
      loud: peak > 0 ? loudSamples(samples, blockPeak, hopSize, loudThreshold) : new Int32Array(0),
      loudThreshold,
      bandSumAbs: s[BAND_ABS],
      bandSumLogAbs: s[BAND_LOG] + Math.log(s[BAND_PRODUCT]),
    },
    hops: { energy, length },
    blockPeak,
    frameEnergy,
    frameBandEnergy,
    frameCrossings,
    samplePeak: peak,
  };
}

/**
 * Adds samples [from, to) to the running sums in `s`; `k` holds the K-weighting coefficients (shelf b0 b1 b2
 * a1 a2, high-pass a1 a2), then the speech-band high-pass's (b0 a1 a2). A function of its own, called per stretch between events, so V8 optimises it as a
 * hot function: a loop over the whole clip in one call is compiled on-stack part-way through the first clip,
 * and in Node 20 that code deoptimised on every later clip (~3× slower).
 */
function sweep(samples: Float32Array, from: number, to: number, s: Float64Array, k: Float64Array): void {
  const b0 = k[0];
  const b1 = k[1];
  const b2 = k[2];
  const sa1 = k[3];
  const sa2 = k[4];
  const ha1 = k[5];
  const ha2 = k[6];
  const g = k[7];
  const ba1 = k[8];
  const ba2 = k[9];
  let sq = s[SQ];
  let sum = s[SUM];
  let sumAbs = s[SUM_ABS];
  let crossings = s[CROSSINGS] | 0;
  let previousNonNegative = s[LAST_NON_NEGATIVE] | 0;
  let nonZero = s[NON_ZERO] | 0;
  let minNonZero = s[MIN_NON_ZERO];
  let product = s[PRODUCT];
  let sumLog = s[SUM_LOG];
  let bPeak = s[BLOCK_PEAK];
  let kSum = s[K_SUM];
  let x1 = s[X1];
  let x2 = s[X2];
  let m1 = s[M1];
  let m2 = s[M2];
  let y1 = s[Y1];
  let y2 = s[Y2];
  let bandSq = s[BAND_SQ];
  let v1 = s[B1];
  let v2 = s[B2];
  let bandAbs = s[BAND_ABS];
  let bandProduct = s[BAND_PRODUCT];
  let bandLog = s[BAND_LOG];
  // Branch-free where the data decides (the sign): speech flips sign too often for a branch to be predicted.
  for (let i = from; i < to; i++) {
    const x = samples[i];
    const a = Math.abs(x);
    if (a > bPeak) bPeak = a; // not Math.max: a NaN sample is skipped, as every peak here always did
    sq += x * x;
    sum += x;
    sumAbs += a;
    const nonNegative = +(x >= 0);
    crossings += nonNegative ^ previousNonNegative;
    previousNonNegative = nonNegative;
    if (a !== 0) {
      nonZero++;
      if (a < minNonZero) minNonZero = a;
      product *= a;
      if (product < PRODUCT_LOW || product > PRODUCT_HIGH) {
        sumLog += Math.log(product);
        product = 1;
      }
    }
    // The term of the previous output goes last: it is the only one on the recursive dependency chain.
    const m = b0 * x + b1 * x1 + b2 * x2 - sa2 * m2 - sa1 * m1;
    // A second chain beside the K-weighting's, so each fills the other's wait.
    const v = g * (x - 2 * x1 + x2) - ba2 * v2 - ba1 * v1;
    v2 = v1;
    v1 = v;
    bandSq += v * v;
    if (a !== 0) {
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
    const y = m - 2 * m1 + m2 - ha2 * y2 - ha1 * y1;
    m2 = m1;
    m1 = m;
    y2 = y1;
    y1 = y;
    kSum += y * y;
  }
  s[SQ] = sq;
  s[SUM] = sum;
  s[SUM_ABS] = sumAbs;
  s[CROSSINGS] = crossings;
  s[LAST_NON_NEGATIVE] = previousNonNegative;
  s[NON_ZERO] = nonZero;
  s[MIN_NON_ZERO] = minNonZero;
  s[PRODUCT] = product;
  s[SUM_LOG] = sumLog;
  s[BLOCK_PEAK] = bPeak;
  s[K_SUM] = kSum;
  s[X1] = x1;
  s[X2] = x2;
  s[M1] = m1;
  s[M2] = m2;
  s[Y1] = y1;
  s[Y2] = y2;
  s[BAND_SQ] = bandSq;
  s[B1] = v1;
  s[B2] = v2;
  s[BAND_ABS] = bandAbs;
  s[BAND_PRODUCT] = bandProduct;
  s[BAND_LOG] = bandLog;
}

/** Where loudness hop h ends; rounded one by one, so a rate whose 100 ms is fractional never drifts. */
function hopEnd(h: number, hopCount: number, sampleRate: number): number {
  return h < hopCount ? Math.round(((h + 1) * sampleRate) / HOPS_PER_SEC) : NEVER;
}

/** Samples at or above `threshold`, ascending: only the blocks whose peak reaches it can hold any. */
function loudSamples(x: Float32Array, blockPeak: Float64Array, hop: number, threshold: number): Int32Array {
  let out = new Int32Array(256);
  let count = 0;
  for (let b = 0; b < blockPeak.length; b++) {
    if (blockPeak[b] < threshold) continue;
    const end = Math.min(x.length, (b + 1) * hop);
    for (let i = b * hop; i < end; i++) {
      if (!(Math.abs(x[i]) >= threshold)) continue;
      if (count === out.length) {
        const bigger = new Int32Array(2 * count);
        bigger.set(out);
        out = bigger;
      }
      out[count++] = i;
    }
  }
  return out.subarray(0, count);
}
