// The Hann-windowed power spectrum of a real frame (see src/features/fft.ts for the method and the tables).
// A complex value is one f64x2 vector (re, im); each product and sum is the JavaScript's, in its order, so the
// spectra are bit-identical to it: (a + ib)(c + is) is [a·c, b·c] + [−b·s, a·s], the very roundings of
// a·c − b·s and b·c + a·s, and b ∓ i·d adds [d.im, −d.re] exactly.

@inline
function cmul(u: v128, cc: v128, ss: v128): v128 {
  return f64x2.add(f64x2.mul(u, cc), f64x2.mul(v128.shuffle<f64>(u, u, 1, 0), ss));
}

/** i·(re, im)ᵀ turned: (im, −re), the quarter turn of b ∓ i·d. */
@inline
function turn(d: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(d, d, 1, 0), f64x2(1, -1));
}

/** The pair x[p], x[p+1] (f32) times window[p], window[p+1]: one complex input of the first pass. */
@inline
function windowed(x: usize, window: usize, p: i32): v128 {
  return f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>p << 2))), v128.load(window + (<usize>p << 3)));
}

/**
 * Power (bins 0 … 2m) of the Hann-windowed frame of 4m f32 samples at x, into power: the N/2 = m-point complex
 * FFT of the frame packed in pairs (decimation in time; the first pass windows and undoes the bit reversal),
 * then the two interleaved half-spectra separated. z is scratch of 2m f64.
 */
export function powerSpectrum(
  x: usize,
  m: i32,
  oddBits: bool,
  window: usize,
  reverse: usize,
  twiddles: usize,
  splitCos: usize,
  splitSin: usize,
  z: usize,
  power: usize,
): void {
  let quarter: i32;
  if (oddBits) {
    for (let s = 0; s < m; s += 2) {
      const p = 2 * load<i32>(reverse + (<usize>s << 2));
      const a = windowed(x, window, p);
      const b = windowed(x, window, p + m);
      const o = z + (<usize>s << 4);
      v128.store(o, f64x2.add(a, b));
      v128.store(o, f64x2.sub(a, b), 16);
    }
    quarter = 2;
  } else {
    const o1 = m;
    const o2 = m >> 1;
    const o3 = o1 + o2;
    for (let s = 0; s < m; s += 4) {
      const p = 2 * load<i32>(reverse + (<usize>s << 2));
      const x0 = windowed(x, window, p);
      const x1 = windowed(x, window, p + o1);
      const x2 = windowed(x, window, p + o2);
      const x3 = windowed(x, window, p + o3);
      const a = f64x2.add(x0, x1);
      const b = f64x2.sub(x0, x1);
      const c = f64x2.add(x2, x3);
      const d = turn(f64x2.sub(x2, x3));
      const o = z + (<usize>s << 4);
      v128.store(o, f64x2.add(a, c));
      v128.store(o, f64x2.sub(a, c), 32);
      v128.store(o, f64x2.add(b, d), 16);
      v128.store(o, f64x2.sub(b, d), 48);
    }
    quarter = 4;
  }
  const end = z + (<usize>m << 4);
  for (let w = twiddles; quarter < m; quarter *= 4) {
    const q = <usize>quarter << 4;
    const span = q << 2;
    for (let k = 0; k < quarter; k++, w += 96) {
      const c1 = v128.load(w);
      const s1 = v128.load(w, 16);
      const c2 = v128.load(w, 32);
      const s2 = v128.load(w, 48);
      const c3 = v128.load(w, 64);
      const s3 = v128.load(w, 80);
      for (let a0 = z + (<usize>k << 4); a0 < end; a0 += span) {
        // Bit-reversed order holds the sub-transforms turned by W^0, W^2k, W^k, W^3k at a0, a1, a2, a3.
        const x0 = v128.load(a0);
        const t2 = cmul(v128.load(a0 + q), c2, s2);
        const t1 = cmul(v128.load(a0 + 2 * q), c1, s1);
        const t3 = cmul(v128.load(a0 + 3 * q), c3, s3);
        const a = f64x2.add(x0, t2);
        const b = f64x2.sub(x0, t2);
        const c = f64x2.add(t1, t3);
        const d = turn(f64x2.sub(t1, t3));
        v128.store(a0, f64x2.add(a, c));
        v128.store(a0 + 2 * q, f64x2.sub(a, c));
        v128.store(a0 + q, f64x2.add(b, d));
        v128.store(a0 + 3 * q, f64x2.sub(b, d));
      }
    }
  }
  separate(m, splitCos, splitSin, z, power);
}

/**
 * Power of the real frame's spectrum from Z, the transform of the packed frame: with E and O the spectra of the
 * even and odd samples, E[k] = (Z[k] + Z*[M−k])/2, O[k] = (Z[k] − Z*[M−k])/2i and X[k] = E[k] + W^k·O[k]; bins
 * k and M−k share their two inputs. Scalar, in the JavaScript's order.
 */
@inline
function separate(m: i32, splitCos: usize, splitSin: usize, z: usize, power: usize): void {
  const z0 = load<f64>(z);
  const z1 = load<f64>(z, 8);
  const dc = z0 + z1;
  const nyquist = z0 - z1;
  store<f64>(power, dc * dc);
  store<f64>(power + (<usize>m << 3), nyquist * nyquist);
  for (let k = 1, j = m - 1; k <= j; k++, j--) {
    const zk = z + (<usize>k << 4);
    const zj = z + (<usize>j << 4);
    const zr = load<f64>(zk);
    const zi = load<f64>(zk, 8);
    const yr = load<f64>(zj);
    const yi = load<f64>(zj, 8);
    const er = 0.5 * (zr + yr);
    const ei = 0.5 * (zi - yi);
    const or = 0.5 * (zi + yi);
    const oi = -0.5 * (zr - yr);
    const c = load<f64>(splitCos + (<usize>k << 3));
    const s = load<f64>(splitSin + (<usize>k << 3));
    const pr = or * c - oi * s;
    const pi = or * s + oi * c;
    const xr = er + pr;
    const xi = ei + pi;
    store<f64>(power + (<usize>k << 3), xr * xr + xi * xi);
    if (j != k) {
      const qr = s * oi - c * or;
      const qi = s * or + c * oi;
      const x2r = er + qr;
      const x2i = -ei + qi;
      store<f64>(power + (<usize>j << 3), x2r * x2r + x2i * x2i);
    }
  }
}
