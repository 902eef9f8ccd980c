// The LPC restore of FLAC subframes (see ./flac.ts): 32-bit sums when no sum of in-range samples can overflow, as
// libFLAC decides, else 64-bit. The coefficients are zero-padded to 40 (qlp holds 40) and the caller leaves 64
// readable bytes before x: the history read before x[0] is multiplied by those zeros.
function lpcWide(x: usize, n: i32, from: i32, order: i32, shift: i32, qlp: usize): void {
  for (let e = x + (<usize>from << 2), end = x + (<usize>n << 2); e < end; e += 4) {
    let sum: i64 = 0;
    for (let j = 0; j < order; j++) sum += <i64>load<i32>(qlp + (<usize>j << 2)) * <i64>load<i32>(e - (<usize>(j + 1) << 2));
    store<i32>(e, <i32>((sum >> shift) + <i64>load<i32>(e)));
  }
}

export function lpc(x: usize, n: i32, order: i32, shift: i32, bps: i32, qlp: usize): void {
  let sum: i64 = 0;
  for (let j = 0; j < order; j++) sum += <i64>abs<i32>(load<i32>(qlp + (<usize>j << 2)));
  for (let j = order; j < 40; j++) store<i32>(qlp + (<usize>j << 2), 0); // lpc4 reads up to order + 5
  const narrow = sum << <i64>(bps - 1) < <i64>1 << 31;
  if (narrow) lpc4(x, n, order, shift, qlp);
  else lpcWide(x, n, order, order, shift, qlp);
}

/**
 * Four samples a step. What their predictions read of samples 4 or more before the step is one vector sum (x[i-m]
 * times the coefficients m-1 … m+2, zero past the order), which no sample of the step waits for; the last three
 * samples and the step's own come in as scalars, so each sample waits only on one product of the one before it.
 * 32-bit, so any order of the sums gives the same integers.
 */
function lpc4(x: usize, n: i32, order: i32, shift: i32, qlp: usize): void {
  const c0 = load<i32>(qlp);
  const c1 = load<i32>(qlp + 4);
  const c2 = load<i32>(qlp + 8);
  const c3 = load<i32>(qlp + 12);
  const c4 = load<i32>(qlp + 16);
  const c5 = load<i32>(qlp + 20);
  let i = order;
  let a = load<i32>(x + (<usize>(i - 1) << 2)); // before x[0]: read, times a zero coefficient
  let b = load<i32>(x + (<usize>(i - 2) << 2));
  let c = load<i32>(x + (<usize>(i - 3) << 2));
  for (; i + 4 <= n; i += 4) {
    const e = x + (<usize>i << 2);
    let p = i32x4.splat(0);
    if (order <= 12) {
      // Unrolled to 12 (coefficients past the order are zero; the 48 bytes before x are readable).
      let q = i32x4.splat(0);
      q = i32x4.add(q, i32x4.mul(v128.load32_splat(e - 16), v128.load(qlp + 12)));
      p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - 20), v128.load(qlp + 16)));
      q = i32x4.add(q, i32x4.mul(v128.load32_splat(e - 24), v128.load(qlp + 20)));
      p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - 28), v128.load(qlp + 24)));
      q = i32x4.add(q, i32x4.mul(v128.load32_splat(e - 32), v128.load(qlp + 28)));
      p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - 36), v128.load(qlp + 32)));
      q = i32x4.add(q, i32x4.mul(v128.load32_splat(e - 40), v128.load(qlp + 36)));
      p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - 44), v128.load(qlp + 40)));
      q = i32x4.add(q, i32x4.mul(v128.load32_splat(e - 48), v128.load(qlp + 44)));
      p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - 52), v128.load(qlp + 48)));
      q = i32x4.add(q, i32x4.mul(v128.load32_splat(e - 56), v128.load(qlp + 52)));
      p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - 60), v128.load(qlp + 56)));
      p = i32x4.add(p, q);
    } else
      for (let m = 4; m <= order + 3; m++)
        p = i32x4.add(p, i32x4.mul(v128.load32_splat(e - (<usize>m << 2)), v128.load(qlp + (<usize>(m - 1) << 2))));
    const r = v128.load(e);
    const x0 = ((i32x4.extract_lane(p, 0) + c2 * c + c1 * b + c0 * a) >> shift) + i32x4.extract_lane(r, 0);
    const x1 = ((i32x4.extract_lane(p, 1) + c3 * c + c2 * b + c1 * a + c0 * x0) >> shift) + i32x4.extract_lane(r, 1);
    const x2 =
      ((i32x4.extract_lane(p, 2) + c4 * c + c3 * b + c2 * a + c1 * x0 + c0 * x1) >> shift) + i32x4.extract_lane(r, 2);
    const x3 =
      ((i32x4.extract_lane(p, 3) + c5 * c + c4 * b + c3 * a + c2 * x0 + c1 * x1 + c0 * x2) >> shift) +
      i32x4.extract_lane(r, 3);
    v128.store(e, i32x4(x0, x1, x2, x3));
    c = x1;
    b = x2;
    a = x3;
  }
  lpcWide(x, n, i, order, shift, qlp);
}
