// The true peak's interpolation around the loud samples (see src/dsp/true-peak.ts for the method and the
// windowed-sinc branches). Each interpolated value is the JavaScript's sum, tap by tap in the same order and in
// f64, so it is bit-identical; the largest of them does not depend on the order they are taken in.

const TAPS = 24;
const HALF = TAPS / 2;

// The branches at b (written by src/dsp/true-peak.ts): for each tap t, the f64x2 [branch 1, branch 2], then the
// taps of branch 3 (f64).
const B_THIRD = TAPS * 16;

/**
 * |x(m + p/4)| for p = 1, 2 (lanes) and 3 (returned as the larger of the three) over the interval [m, m+1] of the
 * n f32 samples at x; samples outside [0, n) count as zero, and are skipped as the JavaScript skipped them.
 */
@inline
function intervalPeak(x: usize, n: i32, m: i32, b: usize): f64 {
  const first = m - HALF + 1;
  let pair = f64x2.splat(0);
  let third: f64 = 0;
  if (first >= 0 && first + TAPS <= n) {
    const at = x + (<usize>first << 2);
    for (let t = 0; t < TAPS; t++) {
      const v = <f64>load<f32>(at + (<usize>t << 2));
      pair = f64x2.add(pair, f64x2.mul(v128.load(b + (<usize>t << 4)), f64x2.splat(v)));
      third += load<f64>(b + B_THIRD + (<usize>t << 3)) * v;
    }
  } else {
    for (let t = 0; t < TAPS; t++) {
      const i = first + t;
      if (i < 0 || i >= n) continue;
      const v = <f64>load<f32>(x + (<usize>i << 2));
      pair = f64x2.add(pair, f64x2.mul(v128.load(b + (<usize>t << 4)), f64x2.splat(v)));
      third += load<f64>(b + B_THIRD + (<usize>t << 3)) * v;
    }
  }
  const a = f64x2.abs(pair);
  const p1 = f64x2.extract_lane(a, 0);
  const p2 = f64x2.extract_lane(a, 1);
  const p3 = abs<f64>(third);
  // Strict comparisons from 0, as the JavaScript's running maximum: a NaN is never taken.
  let best: f64 = 0;
  if (p1 > best) best = p1;
  if (p2 > best) best = p2;
  if (p3 > best) best = p3;
  return best;
}

/**
 * True peak (linear) of the n f32 samples at x around the `count` ascending i32 sample indices at candidates: the
 * largest of the candidates themselves and of the 4× interpolated points on both sides of each, each interval
 * [m, m+1] once.
 */
export function truePeakAround(x: usize, n: i32, candidates: usize, count: i32, b: usize): f64 {
  let best: f64 = 0;
  let lastInterval = -2;
  for (let c = 0; c < count; c++) {
    const at = load<i32>(candidates + (<usize>c << 2));
    const a = abs<f64>(<f64>load<f32>(x + (<usize>at << 2)));
    if (a > best) best = a;
    for (let m = max(at - 1, lastInterval + 1); m <= at; m++) {
      const y = intervalPeak(x, n, m, b);
      if (y > best) best = y;
    }
    lastInterval = at;
  }
  return best;
}
