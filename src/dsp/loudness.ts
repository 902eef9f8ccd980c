// ITU-R BS.1770-4 integrated loudness of a mono signal at any sample rate.
//
// The standard publishes the K-weighting biquads only at 48 kHz; applied at 16/22.05/24 kHz they put the
// shelf and the high-pass at the wrong frequencies. The coefficients are therefore re-derived for the
// actual rate from the analog prototypes (centre frequency, gain, Q) through the bilinear transform with
// frequency pre-warping — the approach libebur128 takes; at 48 kHz this reproduces the published values.

/** Normalised biquad: y[n] = b0·x[n] + b1·x[n-1] + b2·x[n-2] − a1·y[n-1] − a2·y[n-2]. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

// Analog prototype of BS.1770's stage 1 (high-shelf modelling the head): +4 dB above ~1.7 kHz.
const SHELF_F0 = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
// Gain of the shelf's middle (band-pass) term, fitted so that the 48 kHz result matches the published table.
const SHELF_VB_EXPONENT = 0.4996667741545416;
// Stage 2 (RLB high-pass): −3 dB near 38 Hz.
const HIGHPASS_F0 = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

/** Stage 1 of K-weighting at `sampleRate`. */
export function shelfFilter(sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * SHELF_F0) / sampleRate);
  const vh = 10 ** (SHELF_GAIN_DB / 20);
  const vb = vh ** SHELF_VB_EXPONENT;
  const a0 = 1 + k / SHELF_Q + k * k;
  return {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
}

/**
 * Stage 2 of K-weighting at `sampleRate`. The numerator stays (1, −2, 1), as in the standard's table and
 * in libebur128: the passband then gains +0.04 dB at 48 kHz and +0.13 dB at 16 kHz, which every meter
 * built that way (ffmpeg included) reports too; normalising it would read 0.1 LU off them at low rates.
 */
export function highPassFilter(sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * HIGHPASS_F0) / sampleRate);
  const a0 = 1 + k / HIGHPASS_Q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / HIGHPASS_Q + k * k) / a0 };
}

export const ABSOLUTE_GATE_LUFS = -70;
export const RELATIVE_GATE_LU = -10;
/** Loudness of a block of mean square z: −0.691 + 10·log10(z) (the offset makes a 1 kHz sine read its RMS level). */
const LOUDNESS_OFFSET = -0.691;
const BLOCK_SUBBLOCKS = 4; // 400 ms block = 4 hops of 100 ms (75 % overlap)
const HOPS_PER_SEC = 10; // 100 ms hops

export function loudnessOf(meanSquare: number): number {
  return LOUDNESS_OFFSET + 10 * Math.log10(meanSquare);
}

export interface LoudnessResult {
  /** Gated integrated loudness in LUFS; null when the clip is shorter than one block or every block is gated. */
  integratedLufs: number | null;
  /** Number of complete 400 ms blocks measured. */
  blocks: number;
}

/**
 * Integrated loudness (BS.1770-4) of mono `samples`: one pass of the two K-weighting biquads that sums
 * squares per 100 ms hop, then the two-stage gate over the 400 ms blocks made of 4 consecutive hops.
 * Only complete blocks count, as in the standard and ffmpeg's ebur128 (a 0.3 s clip has no block).
 * Mono counts as one channel of weight 1, which is what ffmpeg does unless asked for `dual_mono`.
 *
 * The audit takes the hops from the clip's one pass over its samples (features/scan.ts, the same filter
 * written into a bigger loop) and calls `gatedLoudness`; this stand-alone pass is the reference the
 * tests hold both to.
 */
export function integratedLoudness(samples: Float32Array, sampleRate: number): LoudnessResult {
  const { b0, b1, b2, a1: sa1, a2: sa2 } = shelfFilter(sampleRate);
  const { a1: ha1, a2: ha2 } = highPassFilter(sampleRate);
  // Hop boundaries are rounded one by one, so a rate whose 100 ms is fractional (11.025 kHz: 1102.5
  // samples) never drifts over a long clip; integer arithmetic first keeps 22.05 kHz hops exact.
  const hops = Math.floor((samples.length * HOPS_PER_SEC) / sampleRate);
  const energy = new Float64Array(hops);
  const length = new Float64Array(hops);
  // Direct form I with the state in locals; the high-pass numerator (1, −2, 1) is written out.
  let x1 = 0,
    x2 = 0,
    m1 = 0,
    m2 = 0,
    y1 = 0,
    y2 = 0;
  let i = 0;
  for (let hop = 0; hop < hops; hop++) {
    const end = Math.round(((hop + 1) * sampleRate) / HOPS_PER_SEC);
    let sum = 0;
    const start = i;
    for (; i < end; i++) {
      const x = samples[i];
      // The term of the previous output goes last: it is the only one on the recursive dependency
      // chain, so the rest of the sum is computed while it is still in flight (≈ 1/3 faster).
      const m = b0 * x + b1 * x1 + b2 * x2 - sa2 * m2 - sa1 * m1;
      x2 = x1;
      x1 = x;
      const y = m - 2 * m1 + m2 - ha2 * y2 - ha1 * y1;
      m2 = m1;
      m1 = m;
      y2 = y1;
      y1 = y;
      sum += y * y;
    }
    energy[hop] = sum;
    length[hop] = end - start;
  }
  return gatedLoudness({ energy, length });
}

/** Integrated loudness from the K-weighted sums of squares per 100 ms hop and the hops' lengths. */
export function gatedLoudness(hops: { energy: Float64Array; length: Float64Array }): LoudnessResult {
  return {
    integratedLufs: gate(hops.energy, hops.length),
    blocks: Math.max(0, hops.energy.length - BLOCK_SUBBLOCKS + 1),
  };
}

/** The two gates of BS.1770-4 over blocks of 4 consecutive hops; energies are sums of squares. */
function gate(hopEnergy: Float64Array, hopLength: Float64Array): number | null {
  const blocks = hopEnergy.length - BLOCK_SUBBLOCKS + 1;
  if (blocks <= 0) return null;
  const z = new Float64Array(blocks);
  // Mean square compared with the absolute gate directly: no log per block.
  const absoluteZ = 10 ** ((ABSOLUTE_GATE_LUFS - LOUDNESS_OFFSET) / 10);
  let sumAbs = 0;
  let nAbs = 0;
  for (let j = 0; j < blocks; j++) {
    let e = 0;
    let n = 0;
    for (let k = j; k < j + BLOCK_SUBBLOCKS; k++) {
      e += hopEnergy[k];
      n += hopLength[k];
    }
    z[j] = e / n;
    if (z[j] > absoluteZ) {
      sumAbs += z[j];
      nAbs++;
    }
  }
  if (nAbs === 0) return null;
  const relativeZ = (sumAbs / nAbs) * 10 ** (RELATIVE_GATE_LU / 10);
  let sum = 0;
  let n = 0;
  for (let j = 0; j < blocks; j++) {
    if (z[j] > absoluteZ && z[j] > relativeZ) {
      sum += z[j];
      n++;
    }
  }
  // n ≥ 1: the loudest block is never below the mean of the blocks it is part of.
  return loudnessOf(sum / n);
}
