// The one pass over a clip's samples (see src/features/scan.ts for what it collects). Every running sum is the
// JavaScript's, in f64 and in sample order, so the results are bit-identical to it (test/helpers/scan-oracle.ts).
//
// The three recursive filters (the K-weighting's shelf m and high-pass y, the speech band's high-pass v) cannot
// be vectorised along time, and each waits ~6 cycles a sample on its own recursion. The shelf and the band filter
// share their form, (((p·x + q·x₁) + r·x₂) · s) − a₂·w₂ − a₁·w₁, once the band's g·((x − 2x₁) + x₂) is written
// with the exact factors 1, −2, 1 and g (and the shelf's s = 1): they run as the two lanes of one f64x2, each lane
// rounding exactly as its scalar did, and overlap with y's recursion. The pairs of running sums that add in
// step share vectors too: [Σy², Σv²] and [Σx², Σx]. Block peaks take four samples a vector: a maximum's order
// does not matter.

// JavaScript's Math.log, imported: WebAssembly's own would be another implementation, not bit for bit the same.
@external('env', 'log')
declare function jsLog(x: f64): f64;

// The running product behind Σ ln|v| is logged and reset once it leaves this range; factors within
// [1e-30, 1e30] keep it far inside the double range in between.
const PRODUCT_LOW: f64 = 1e-150;
const PRODUCT_HIGH: f64 = 1e150;
const FACTOR_LOW: f64 = 1e-30;
// A positive double's bits order as its value: one unsigned comparison tests both ends of the range.
const PRODUCT_LOW_BITS = reinterpret<u64>(PRODUCT_LOW);
const PRODUCT_RANGE_BITS = reinterpret<u64>(PRODUCT_HIGH) - PRODUCT_LOW_BITS;

/** `p < PRODUCT_LOW || p > PRODUCT_HIGH` for the running product, which is never negative, zero or NaN. */
@inline
function outOfRange(p: f64): bool {
  return reinterpret<u64>(p) - PRODUCT_LOW_BITS > PRODUCT_RANGE_BITS;
}
// "No further event".
const NEVER: i32 = 0x7fffffff;

// The coefficients at k (written by scan.ts): six f64x2 vectors, then two scalars.
const K_X0 = 0; // [shelf b0, 1]
const K_X1 = 16; // [shelf b1, −2]
const K_X2 = 32; // [shelf b2, 1]
const K_SCALE = 48; // [1, band b0]
const K_A2 = 64; // [shelf a2, band a2]
const K_A1 = 80; // [shelf a1, band a1]
const K_HA2 = 96; // K high-pass a2
const K_HA1 = 104; // K high-pass a1
const K_FACTOR_LOW = 112; // [FACTOR_LOW, FACTOR_LOW], written by scanClip
const K_BYTES = 128; // scan.ts allocates this much

// The whole-clip results at out (f64 slots), read by scan.ts.
const OUT_SUM = 0;
const OUT_SQ = 1;
const OUT_NON_ZERO = 2;
const OUT_BAND_ABS = 3;
const OUT_BAND_PRODUCT = 4;
const OUT_BAND_LOG = 5;
const OUT_PEAK = 6;

@inline
function at8(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** Sample i (f32) as an f64 in both lanes. */
@inline
function splatAt(x: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load32_splat(x + (<usize>i << 2)));
}

/**
 * Peak |x| over [from, to): four lanes at a time, as the order of a maximum does not matter (pmax keeps the
 * running value when a sample is NaN, as the JavaScript's `a > peak` did; −0 and +0 are both |x| = 0).
 */
function peakOf(x: usize, from: i32, to: i32): f64 {
  let i = from;
  let peak: f32 = 0;
  let p4 = f32x4.splat(0);
  for (; i + 4 <= to; i += 4) p4 = f32x4.pmax(p4, f32x4.abs(v128.load(x + (<usize>i << 2))));
  for (; i < to; i++) {
    const a = abs<f32>(load<f32>(x + (<usize>i << 2)));
    if (a > peak) peak = a;
  }
  for (let lane = 0; lane < 4; lane++) {
    const a = f32x4.extract_lane(p4, 0);
    if (a > peak) peak = a;
    p4 = v128.shuffle<f32>(p4, p4, 1, 2, 3, 0);
  }
  return <f64>peak;
}

// The running state between stretches, f64 slots at s: kept in memory between calls of `stretch`.
const S_W1 = 0; // f64x2 [shelf m, band v] one sample back
const S_W2 = 16; // two back
const S_SQUARES = 32; // f64x2 [Σy² of the hop, Σv²]
const S_LEVELS = 48; // f64x2 [Σx², Σx]
const S_Y1 = 64; // K-weighted y one sample back
const S_Y2 = 72; // two back
const S_BAND_ABS = 80;
const S_BAND_PRODUCT = 88;
const S_NON_ZERO = 96; // i32
const S_BYTES = 112; // scan.ts allocates this much

/**
 * Adds samples [from, to) to the running state at s; the products of |v| that left their range go to logs, in
 * order, for the caller to log (their count is returned). A function of its own, with no call inside: in one
 * with the call to Math.log, V8 kept the running sums and y₁ on the stack, stored and reloaded every sample.
 */
function stretch(x: usize, from: i32, to: i32, k: usize, s: usize, logs: usize): i32 {
  let w1 = v128.load(s, S_W1);
  let w2 = v128.load(s, S_W2);
  let squares = v128.load(s, S_SQUARES);
  let levels = v128.load(s, S_LEVELS);
  let y1 = load<f64>(s, S_Y1);
  let y2 = load<f64>(s, S_Y2);
  let bandAbs = load<f64>(s, S_BAND_ABS);
  let bandProduct = load<f64>(s, S_BAND_PRODUCT);
  let nonZero = load<i32>(s, S_NON_ZERO);
  let logged = 0;
  for (let i = from; i < to; i++) {
    const xv = <f64>load<f32>(x + (<usize>i << 2));
    const xs = f64x2.splat(xv);
    levels = f64x2.add(levels, v128.shuffle<f64>(f64x2.mul(xs, xs), xs, 0, 3));
    // The term of the previous output goes last: it is the only one on the recursive dependency chain.
    let w = f64x2.add(f64x2.mul(v128.load(k, K_X0), xs), f64x2.mul(v128.load(k, K_X1), splatAt(x, i - 1)));
    w = f64x2.add(w, f64x2.mul(v128.load(k, K_X2), splatAt(x, i - 2)));
    w = f64x2.mul(w, v128.load(k, K_SCALE));
    w = f64x2.sub(w, f64x2.mul(v128.load(k, K_A2), w2));
    w = f64x2.sub(w, f64x2.mul(v128.load(k, K_A1), w1));
    const m = f64x2.extract_lane(w, 0);
    const y = m - 2 * f64x2.extract_lane(w1, 0) + f64x2.extract_lane(w2, 0) - load<f64>(k, K_HA2) * y2 - load<f64>(k, K_HA1) * y1;
    const yv = f64x2.replace_lane(w, 0, y);
    squares = f64x2.add(squares, f64x2.mul(yv, yv));
    if (xv != 0) {
      nonZero++;
      const av = f64x2.abs(w);
      bandAbs += f64x2.extract_lane(av, 1);
      // pmax(a, b) is a < b ? b : a: the JavaScript's `av > FACTOR_LOW ? av : FACTOR_LOW`, NaN included.
      bandProduct *= f64x2.extract_lane(f64x2.pmax(v128.load(k, K_FACTOR_LOW), av), 1);
      if (outOfRange(bandProduct)) {
        store<f64>(at8(logs, logged++), bandProduct);
        bandProduct = 1;
      }
    }
    w2 = w1;
    w1 = w;
    y2 = y1;
    y1 = y;
  }
  v128.store(s, w1, S_W1);
  v128.store(s, w2, S_W2);
  v128.store(s, squares, S_SQUARES);
  v128.store(s, levels, S_LEVELS);
  store<f64>(s, y1, S_Y1);
  store<f64>(s, y2, S_Y2);
  store<f64>(s, bandAbs, S_BAND_ABS);
  store<f64>(s, bandProduct, S_BAND_PRODUCT);
  store<i32>(s, nonZero, S_NON_ZERO);
  return logged;
}

/**
 * The sweep of n f32 samples at x, which the two f32 before x must hold as zeros (the filters' initial state).
 * Frames are `frameSize` windows centred on multiples of `hop` (`frames` of them, clipped to the clip): their Σx²
 * into frameEnergy, that of the speech-band signal into frameBandEnergy (each first holds the running sum at the
 * window's start, then the difference). Blocks [b·hop, (b+1)·hop): peak |x| into blockPeak. Loudness hops end at
 * the `hopCount` i32 positions at hopEnds: their sums of K-weighted squares into energy, their lengths into length.
 * s is scratch of S_BYTES, logs of `hop` f64. The whole-clip sums go to out (OUT_*).
 */
export function scanClip(
  x: usize,
  n: i32,
  hop: i32,
  frameSize: i32,
  frames: i32,
  hopEnds: usize,
  hopCount: i32,
  k: usize,
  out: usize,
  frameEnergy: usize,
  frameBandEnergy: usize,
  blockPeak: usize,
  energy: usize,
  length: usize,
  s: usize,
  logs: usize,
): void {
  const half = frameSize >> 1;
  v128.store(k, f64x2.splat(FACTOR_LOW), K_FACTOR_LOW);
  v128.store(s, f64x2.splat(0), S_W1);
  v128.store(s, f64x2.splat(0), S_W2);
  v128.store(s, f64x2.splat(0), S_SQUARES);
  v128.store(s, f64x2.splat(0), S_LEVELS);
  store<f64>(s, 0, S_Y1);
  store<f64>(s, 0, S_Y2);
  store<f64>(s, 0, S_BAND_ABS);
  store<f64>(s, 1, S_BAND_PRODUCT);
  store<i32>(s, 0, S_NON_ZERO);
  let bandLog: f64 = 0;

  let peak: f64 = 0;
  let fLo = 0;
  let fHi = 0;
  let nextLo = frames > 0 ? 0 : NEVER;
  let nextHi = frames > 0 ? min(n, frameSize - half) : NEVER;
  let block = 0;
  let blockStart = 0;
  let blockEnd = min(n, hop);
  let h = 0;
  let hopStart = 0;
  let nextHop = hopCount > 0 ? load<i32>(hopEnds) : NEVER;
  let i = 0;
  for (;;) {
    // Events at position i: the sums so far cover samples [0, i).
    while (nextLo == i) {
      store<f64>(at8(frameEnergy, fLo), load<f64>(s, S_LEVELS));
      store<f64>(at8(frameBandEnergy, fLo), load<f64>(s, S_SQUARES + 8));
      nextLo = ++fLo < frames ? max(0, fLo * hop - half) : NEVER;
    }
    while (nextHi == i) {
      store<f64>(at8(frameEnergy, fHi), load<f64>(s, S_LEVELS) - load<f64>(at8(frameEnergy, fHi)));
      store<f64>(at8(frameBandEnergy, fHi), load<f64>(s, S_SQUARES + 8) - load<f64>(at8(frameBandEnergy, fHi)));
      nextHi = ++fHi < frames ? min(n, fHi * hop - half + frameSize) : NEVER;
    }
    if (i == blockEnd && block < frames) {
      const p = peakOf(x, blockStart, blockEnd);
      store<f64>(at8(blockPeak, block++), p);
      if (p > peak) peak = p;
      blockStart = blockEnd;
      blockEnd = min(n, blockEnd + hop);
    }
    if (i == nextHop) {
      store<f64>(at8(energy, h), load<f64>(s, S_SQUARES));
      store<f64>(at8(length, h), <f64>(i - hopStart));
      store<f64>(s, 0, S_SQUARES);
      hopStart = i;
      nextHop = ++h < hopCount ? load<i32>(hopEnds + (<usize>h << 2)) : NEVER;
    }
    if (i >= n) break;
    const end = min(min(nextLo, nextHi), min(blockEnd, nextHop));
    const logged = stretch(x, i, end, k, s, logs);
    // In the order the products were taken: the sum is the one the JavaScript made.
    for (let j = 0; j < logged; j++) bandLog += jsLog(load<f64>(at8(logs, j)));
    i = end;
  }
  const levels = v128.load(s, S_LEVELS);
  store<f64>(at8(out, OUT_SUM), f64x2.extract_lane(levels, 1));
  store<f64>(at8(out, OUT_SQ), f64x2.extract_lane(levels, 0));
  store<f64>(at8(out, OUT_NON_ZERO), <f64>load<i32>(s, S_NON_ZERO));
  store<f64>(at8(out, OUT_BAND_ABS), load<f64>(s, S_BAND_ABS));
  store<f64>(at8(out, OUT_BAND_PRODUCT), load<f64>(s, S_BAND_PRODUCT));
  store<f64>(at8(out, OUT_BAND_LOG), bandLog);
  store<f64>(at8(out, OUT_PEAK), peak);
}

/**
 * Indices, ascending, of the samples with |x| ≥ threshold into out (i32; room for every sample of the blocks whose
 * peak reaches it), of the n f32 samples at x: only those blocks [b·hop, (b+1)·hop) can hold any. Returns the count.
 */
export function loudSamples(x: usize, n: i32, blockPeak: usize, blocks: i32, hop: i32, threshold: f64, out: usize): i32 {
  let count = 0;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(at8(blockPeak, b)) < threshold) continue;
    const end = min(n, (b + 1) * hop);
    for (let i = b * hop; i < end; i++) {
      if (<f64>abs<f32>(load<f32>(x + (<usize>i << 2))) >= threshold) {
        store<i32>(out + (<usize>count << 2), i);
        count++;
      }
    }
  }
  return count;
}
