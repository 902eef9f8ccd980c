// The LPC restore of FLAC subframes (see ./flac.ts).
// The history in locals (a sample's sum waits only on the one before it), the coefficients zero-padded to 8
// or 12 (the history read before x[0] is multiplied by those zeros; the caller leaves 64 bytes before x); 32-bit
// sums when no sum of in-range samples can overflow, as libFLAC decides, else 64-bit.
function lpc8(x: usize, n: i32, order: i32, shift: i32, qlp: usize): void {
  const c0 = load<i32>(qlp + 0);
  const c1 = load<i32>(qlp + 4);
  const c2 = load<i32>(qlp + 8);
  const c3 = load<i32>(qlp + 12);
  const c4 = load<i32>(qlp + 16);
  const c5 = load<i32>(qlp + 20);
  const c6 = load<i32>(qlp + 24);
  const c7 = load<i32>(qlp + 28);
  let e = x + (<usize>order << 2);
  let h0 = load<i32>(e - 4);
  let h1 = load<i32>(e - 8);
  let h2 = load<i32>(e - 12);
  let h3 = load<i32>(e - 16);
  let h4 = load<i32>(e - 20);
  let h5 = load<i32>(e - 24);
  let h6 = load<i32>(e - 28);
  let h7 = load<i32>(e - 32);
  for (const end = x + (<usize>n << 2); e < end; e += 4) {
    const v = (((c7 * h7 + c6 * h6 + c5 * h5 + c4 * h4 + c3 * h3 + c2 * h2 + c1 * h1) + c0 * h0) >> shift) + load<i32>(e);
    store<i32>(e, v);
    h7 = h6;
    h6 = h5;
    h5 = h4;
    h4 = h3;
    h3 = h2;
    h2 = h1;
    h1 = h0;
    h0 = v;
  }
}

function lpc12(x: usize, n: i32, order: i32, shift: i32, qlp: usize): void {
  const c0 = load<i32>(qlp + 0);
  const c1 = load<i32>(qlp + 4);
  const c2 = load<i32>(qlp + 8);
  const c3 = load<i32>(qlp + 12);
  const c4 = load<i32>(qlp + 16);
  const c5 = load<i32>(qlp + 20);
  const c6 = load<i32>(qlp + 24);
  const c7 = load<i32>(qlp + 28);
  const c8 = load<i32>(qlp + 32);
  const c9 = load<i32>(qlp + 36);
  const c10 = load<i32>(qlp + 40);
  const c11 = load<i32>(qlp + 44);
  let e = x + (<usize>order << 2);
  let h0 = load<i32>(e - 4);
  let h1 = load<i32>(e - 8);
  let h2 = load<i32>(e - 12);
  let h3 = load<i32>(e - 16);
  let h4 = load<i32>(e - 20);
  let h5 = load<i32>(e - 24);
  let h6 = load<i32>(e - 28);
  let h7 = load<i32>(e - 32);
  let h8 = load<i32>(e - 36);
  let h9 = load<i32>(e - 40);
  let h10 = load<i32>(e - 44);
  let h11 = load<i32>(e - 48);
  for (const end = x + (<usize>n << 2); e < end; e += 4) {
    const v = (((c11 * h11 + c10 * h10 + c9 * h9 + c8 * h8 + c7 * h7 + c6 * h6 + c5 * h5 + c4 * h4 + c3 * h3 + c2 * h2 + c1 * h1) + c0 * h0) >> shift) + load<i32>(e);
    store<i32>(e, v);
    h11 = h10;
    h10 = h9;
    h9 = h8;
    h8 = h7;
    h7 = h6;
    h6 = h5;
    h5 = h4;
    h4 = h3;
    h3 = h2;
    h2 = h1;
    h1 = h0;
    h0 = v;
  }
}

function lpcWide(x: usize, n: i32, order: i32, shift: i32, qlp: usize): void {
  for (let e = x + (<usize>order << 2), end = x + (<usize>n << 2); e < end; e += 4) {
    let sum: i64 = 0;
    for (let j = 0; j < order; j++) sum += <i64>load<i32>(qlp + (<usize>j << 2)) * <i64>load<i32>(e - (<usize>(j + 1) << 2));
    store<i32>(e, <i32>((sum >> shift) + <i64>load<i32>(e)));
  }
}

export function lpc(x: usize, n: i32, order: i32, shift: i32, bps: i32, qlp: usize): void {
  let sum: i64 = 0;
  for (let j = 0; j < order; j++) sum += <i64>abs<i32>(load<i32>(qlp + (<usize>j << 2)));
  for (let j = order; j < 12; j++) store<i32>(qlp + (<usize>j << 2), 0);
  const narrow = sum << <i64>(bps - 1) < <i64>1 << 31;
  if (narrow && order <= 8) lpc8(x, n, order, shift, qlp);
  else if (narrow && order <= 12) lpc12(x, n, order, shift, qlp);
  else lpcWide(x, n, order, shift, qlp);
}

