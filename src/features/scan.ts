import { highPassFilter, shelfFilter } from '../dsp/loudness.js';
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

/**
 * Frames are `frameSize` windows centred on multiples of `hopSize`, clipped to the clip; blocks are
 * [b·hop, (b+1)·hop). The loop runs from event to event (a block end, a frame's window edge, a loudness hop
 * end), and records running sums at each: no per-sample arrays, so nothing proportional to the clip is
 * allocated besides the loud-sample list, which a second look at the few loudest blocks fills.
 */
export function scanSamples(samples: Float32Array, sampleRate: number, hopSize: number, frameSize: number): SampleScan {
  const n = samples.length;
  const frames = n === 0 ? 0 : Math.max(1, Math.ceil(n / hopSize));
  const half = frameSize >> 1;
  const loOf = (f: number) => Math.max(0, f * hopSize - half);
  const hiOf = (f: number) => Math.min(n, f * hopSize - half + frameSize);
  const sqLo = new Float64Array(frames);
  const crossLo = new Int32Array(frames);
  const frameEnergy = new Float64Array(frames);
  const frameCrossings = new Int32Array(frames);
  const blockPeak = new Float64Array(frames);
  // Loudness hop ends are rounded one by one, so a rate whose 100 ms is fractional never drifts.
  const hopCount = Math.floor((n * HOPS_PER_SEC) / sampleRate);
  const hopEnd = (h: number) => (h < hopCount ? Math.round(((h + 1) * sampleRate) / HOPS_PER_SEC) : NEVER);
  const energy = new Float64Array(hopCount);
  const length = new Float64Array(hopCount);
  const { b0, b1, b2, a1: sa1, a2: sa2 } = shelfFilter(sampleRate);
  const { a1: ha1, a2: ha2 } = highPassFilter(sampleRate);

  let peak = 0;
  let bPeak = 0;
  let sq = 0;
  let sum = 0;
  let sumAbs = 0;
  let crossings = 0;
  let previousNonNegative = +(n > 0 && samples[0] >= 0);
  let nonZero = 0;
  let minNonZero = Infinity;
  let product = 1;
  let sumLog = 0;
  // K-weighting state (direct form I) and the current hop's sum.
  let x1 = 0,
    x2 = 0,
    m1 = 0,
    m2 = 0,
    y1 = 0,
    y2 = 0,
    kSum = 0;

  let fLo = 0;
  let fHi = 0;
  let nextLo = frames > 0 ? loOf(0) : NEVER;
  let nextHi = frames > 0 ? hiOf(0) : NEVER;
  let block = 0;
  let blockEnd = Math.min(n, hopSize);
  let hop = 0;
  let hopStart = 0;
  let nextHop = hopEnd(0);
  let i = 0;
  for (;;) {
    // Events at position i: the sums so far cover samples [0, i).
    while (nextLo === i) {
      // Crossings inside [lo, hi) are those at lo+1 … hi−1: the one at lo itself (with lo−1) is excluded.
      const atLo = i > 0 ? +(samples[i] >= 0) ^ +(samples[i - 1] >= 0) : 0;
      sqLo[fLo] = sq;
      crossLo[fLo] = crossings + atLo;
      nextLo = ++fLo < frames ? loOf(fLo) : NEVER;
    }
    while (nextHi === i) {
      frameEnergy[fHi] = sq - sqLo[fHi];
      frameCrossings[fHi] = Math.max(0, crossings - crossLo[fHi]);
      nextHi = ++fHi < frames ? hiOf(fHi) : NEVER;
    }
    if (i === blockEnd && block < frames) {
      blockPeak[block++] = bPeak;
      if (bPeak > peak) peak = bPeak;
      bPeak = 0;
      blockEnd = Math.min(n, blockEnd + hopSize);
    }
    if (i === nextHop) {
      energy[hop] = kSum;
      length[hop] = i - hopStart;
      kSum = 0;
      hopStart = i;
      nextHop = hopEnd(++hop);
    }
    if (i >= n) break;
    const end = Math.min(nextLo, nextHi, blockEnd, nextHop);
    // Branch-free where the data decides (sign, level): speech flips sign too often for a branch to be predicted.
    for (; i < end; i++) {
      const x = samples[i];
      const a = Math.abs(x);
      bPeak = Math.max(bPeak, a);
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
      x2 = x1;
      x1 = x;
      const y = m - 2 * m1 + m2 - ha2 * y2 - ha1 * y1;
      m2 = m1;
      m1 = m;
      y2 = y1;
      y1 = y;
      kSum += y * y;
    }
  }
  sumLog += Math.log(product);

  const loudThreshold = truePeakThreshold(peak);
  const loud = peak > 0 ? loudSamples(samples, blockPeak, hopSize, loudThreshold) : new Int32Array(0);
  const usable = minNonZero >= FACTOR_LOW && peak <= FACTOR_HIGH;
  return {
    stats: {
      count: n,
      sum,
      sumSquares: sq,
      sumAbs,
      nonZero,
      minNonZeroAbs: minNonZero,
      sumLogAbs: nonZero === 0 || usable ? sumLog : NaN,
      loud,
      loudThreshold,
    },
    hops: { energy, length },
    blockPeak,
    frameEnergy,
    frameCrossings,
    samplePeak: peak,
  };
}

/** Samples at or above `threshold`, ascending: only the blocks whose peak reaches it can hold any. */
function loudSamples(x: Float32Array, blockPeak: Float64Array, hop: number, threshold: number): Int32Array {
  let out = new Int32Array(256);
  let count = 0;
  for (let b = 0; b < blockPeak.length; b++) {
    if (blockPeak[b] < threshold) continue;
    const end = Math.min(x.length, (b + 1) * hop);
    for (let i = b * hop; i < end; i++) {
      if (Math.abs(x[i]) < threshold) continue;
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
