import { highPassFilter, shelfFilter } from '../../src/dsp/loudness.js';
import { butterworthHighPass, SPEECH_BAND_HZ } from '../../src/dsp/speech-band.js';
import { truePeakThreshold } from '../../src/dsp/true-peak.js';
import {
  BAND_LOG,
  BAND_PRODUCT,
  BAND_ABS,
  BAND_SQ,
  BLOCK_PEAK,
  K_SUM,
  NON_ZERO,
  SLOTS,
  SQ,
  SUM,
  sweep,
} from './sweep-oracle.js';

// The sample sweep as it was in JavaScript before it moved to WebAssembly (src/kernels/assembly/sweep.ts), kept
// verbatim as the oracle (with ./sweep-oracle.ts): test/kernels-sweep.test.ts holds the kernel to it bit for bit,
// and scripts/bench/kernels.ts times the two. Not used by src/.
//
// One pass over a clip's samples for everything any analyzer needs sample by sample: frame energies,
// block peaks, sums for level, DC and WADA-SNR, the K-weighted loudness hops and the loud
// samples (true-peak candidates, clipping). Separate passes each cost a walk over the clip and their own
// loop overhead, and the K-weighting filter's recursion leaves the CPU idle between samples: the rest of
// the work fills that idle time.

/** Whole-clip sums, all in sample order from the first sample, so they equal a plain loop's. */
export interface SampleStats {
  count: number;
  sum: number;
  sumSquares: number;
  /** Samples that are not exactly zero. */
  nonZero: number;
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
  /** Sign changes between consecutive samples inside each frame's window; only when asked for (no analyzer reads them). */
  frameCrossings?: Int32Array;
  samplePeak: number;
}

const HOPS_PER_SEC = 10;
// "No further event" as an integer, so positions stay small integers for the JIT.
const NEVER = 0x7fffffff;

/**
 * Frames are `frameSize` windows centred on multiples of `hopSize`, clipped to the clip; blocks are
 * [b·hop, (b+1)·hop). The clip is swept from event to event (a block end, a frame's window edge, a loudness
 * hop end), and the running sums are recorded at each: no per-sample arrays, so nothing proportional to the
 * clip is allocated besides the loud-sample list, which a second look at the few loudest blocks fills.
 */
export function scanSamplesJs(
  samples: Float32Array,
  sampleRate: number,
  hopSize: number,
  frameSize: number,
  crossings = false,
): SampleScan {
  const n = samples.length;
  const frames = n === 0 ? 0 : Math.max(1, Math.ceil(n / hopSize));
  const half = frameSize >> 1;
  const sqLo = new Float64Array(frames);
  const bandLo = new Float64Array(frames);
  const frameBandEnergy = new Float64Array(frames);
  const frameEnergy = new Float64Array(frames);
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
      sqLo[fLo] = s[SQ];
      bandLo[fLo] = s[BAND_SQ];
      nextLo = ++fLo < frames ? Math.max(0, fLo * hopSize - half) : NEVER;
    }
    while (nextHi === i) {
      frameEnergy[fHi] = s[SQ] - sqLo[fHi];
      frameBandEnergy[fHi] = s[BAND_SQ] - bandLo[fHi];
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
  return {
    stats: {
      count: n,
      sum: s[SUM],
      sumSquares: s[SQ],
      nonZero: s[NON_ZERO],
      loud: peak > 0 ? loudSamples(samples, blockPeak, hopSize, loudThreshold) : new Int32Array(0),
      loudThreshold,
      bandSumAbs: s[BAND_ABS],
      bandSumLogAbs: s[BAND_LOG] + Math.log(s[BAND_PRODUCT]),
    },
    hops: { energy, length },
    blockPeak,
    frameEnergy,
    frameBandEnergy,
    frameCrossings: crossings ? frameCrossings(samples, frames, hopSize, frameSize) : undefined,
    samplePeak: peak,
  };
}

/**
 * Sign changes inside each frame's window [lo, hi): those between samples lo+1 … hi−1 and the one before each
 * (the change at lo itself, from lo−1, belongs to the window before). A pass of its own, as only the opt-in
 * zero-crossing rate reads it.
 */
function frameCrossings(x: Float32Array, frames: number, hopSize: number, frameSize: number): Int32Array {
  const out = new Int32Array(frames);
  const half = frameSize >> 1;
  for (let f = 0; f < frames; f++) {
    const lo = Math.max(0, f * hopSize - half);
    const hi = Math.min(x.length, f * hopSize - half + frameSize);
    let count = 0;
    for (let i = lo + 1; i < hi; i++) count += +(x[i] >= 0) ^ +(x[i - 1] >= 0);
    out[f] = count;
  }
  return out;
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
