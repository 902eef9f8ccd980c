// YIN's inner loops (see src/features/pitch.ts for the method). Every sum is in f64 and in the same order as
// the JavaScript oracle in test/, so the results are bit-identical; the speed comes from more lags per pass.

/** Box-average decimation by k of n f32 samples at src into f64 values (rounded to f32) at dst; returns the count. */
export function decimate(src: usize, n: i32, k: i32, dst: usize): i32 {
  const m = n / k;
  const scale: f64 = 1.0 / <f64>k;
  let i = 0;
  for (let j = 0; j < m; j++) {
    let s: f64 = 0;
    const end = (j + 1) * k;
    for (; i < end; i++) s += <f64>load<f32>(src + (<usize>i << 2));
    store<f64>(dst + (<usize>j << 3), <f64>(<f32>(s * scale)));
  }
  return m;
}

/** Halving decimation of n f64 values at src into dst (the screen's copy). */
export function halve(src: usize, n: i32, dst: usize): i32 {
  const m = n >> 1;
  for (let j = 0; j < m; j++) {
    let s: f64 = 0;
    s += load<f64>(src + (<usize>(2 * j) << 3));
    s += load<f64>(src + (<usize>(2 * j + 1) << 3));
    store<f64>(dst + (<usize>j << 3), <f64>(<f32>(s * 0.5)));
  }
  return m;
}

/** e[i] = x[0]² + … + x[i−1]² over n values at x into e (n + 1 values). */
export function prefixSquares(x: usize, n: i32, e: usize): void {
  let s: f64 = 0;
  store<f64>(e, 0);
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    s += v * v;
    store<f64>(e + (<usize>(i + 1) << 3), s);
  }
}

// Eight lags a pass, two to a vector: eight independent sums keep the adder busy where four (the JavaScript's)
// waited on each other's latency. d receives the raw differences of lags tau … tau+7.
@inline
function differences8(x: usize, energy: usize, start: i32, w: i32, tau: i32, d: usize): void {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let p = x + (<usize>start << 3);
  const end = p + (<usize>w << 3);
  const lag = <usize>tau << 3;
  for (; p < end; p += 8) {
    const v = v128.load64_splat(p);
    const q = p + lag;
    s0 = f64x2.add(s0, f64x2.mul(v, v128.load(q)));
    s1 = f64x2.add(s1, f64x2.mul(v, v128.load(q, 16)));
    s2 = f64x2.add(s2, f64x2.mul(v, v128.load(q, 32)));
    s3 = f64x2.add(s3, f64x2.mul(v, v128.load(q, 48)));
  }
  const e0 = load<f64>(energy + (<usize>(start + w) << 3)) - load<f64>(energy + (<usize>start << 3));
  const at = start + tau;
  store<f64>(d + (<usize>tau << 3), diff(e0, energy, at, w, f64x2.extract_lane(s0, 0)));
  store<f64>(d + (<usize>(tau + 1) << 3), diff(e0, energy, at + 1, w, f64x2.extract_lane(s0, 1)));
  store<f64>(d + (<usize>(tau + 2) << 3), diff(e0, energy, at + 2, w, f64x2.extract_lane(s1, 0)));
  store<f64>(d + (<usize>(tau + 3) << 3), diff(e0, energy, at + 3, w, f64x2.extract_lane(s1, 1)));
  store<f64>(d + (<usize>(tau + 4) << 3), diff(e0, energy, at + 4, w, f64x2.extract_lane(s2, 0)));
  store<f64>(d + (<usize>(tau + 5) << 3), diff(e0, energy, at + 5, w, f64x2.extract_lane(s2, 1)));
  store<f64>(d + (<usize>(tau + 6) << 3), diff(e0, energy, at + 6, w, f64x2.extract_lane(s3, 0)));
  store<f64>(d + (<usize>(tau + 7) << 3), diff(e0, energy, at + 7, w, f64x2.extract_lane(s3, 1)));
}

@inline
function diff(e0: f64, energy: usize, at: i32, w: i32, s: f64): f64 {
  // Rounding can leave a perfectly periodic window's difference a hair below zero.
  return max<f64>(0, e0 + load<f64>(energy + (<usize>(at + w) << 3)) - load<f64>(energy + (<usize>at << 3)) - 2 * s);
}

/** Whether the normalised difference dips under `threshold` at a lag from tauMin (the unvoiced screen). */
export function dipsUnder(
  y: usize,
  energy: usize,
  start: i32,
  w: i32,
  tauMin: i32,
  tauMax: i32,
  threshold: f64,
  d: usize,
): bool {
  let running: f64 = 0;
  for (let tau = 1; tau <= tauMax; tau += 8) {
    differences8(y, energy, start, w, tau, d);
    for (let t = tau; t < tau + 8; t++) {
      // The JavaScript walked four lags a pass: stop where it stopped.
      if (t > tauMax + 3 - ((tauMax - 1) & 3)) return false;
      const dt = load<f64>(d + (<usize>t << 3));
      running += dt;
      if (t >= tauMin && dt * <f64>t < threshold * running) return true;
    }
  }
  return false;
}

/**
 * YIN's period of x[start, start+w) in samples (fractional), or 0 when no lag's normalised difference dips under
 * `threshold`; d receives the normalised differences.
 */
export function yinPeriod(
  x: usize,
  energy: usize,
  start: i32,
  w: i32,
  tauMin: i32,
  tauMax: i32,
  threshold: f64,
  d: usize,
): f64 {
  store<f64>(d, 1);
  let running: f64 = 0;
  let found = -1;
  for (let tau = 1; tau <= tauMax + 1 && found < 0; tau += 8) {
    differences8(x, energy, start, w, tau, d);
    for (let t = tau; t < tau + 8; t++) {
      const sum = load<f64>(d + (<usize>t << 3));
      running += sum;
      const n: f64 = running > 0 ? (sum * <f64>t) / running : 1;
      store<f64>(d + (<usize>t << 3), n);
      const previous = load<f64>(d + (<usize>(t - 1) << 3));
      if (t > tauMin && previous < threshold && n >= previous) {
        found = t - 1;
        break;
      }
    }
  }
  if (found < 0 || found >= tauMax) return 0;
  const a = load<f64>(d + (<usize>(found - 1) << 3));
  const b = load<f64>(d + (<usize>found << 3));
  const c = load<f64>(d + (<usize>(found + 1) << 3));
  const denominator = a - 2 * b + c;
  const shift: f64 = denominator > 0 ? (0.5 * (a - c)) / denominator : 0;
  return <f64>found + max<f64>(-0.5, min<f64>(0.5, shift));
}
