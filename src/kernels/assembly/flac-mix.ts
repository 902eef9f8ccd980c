// A FLAC frame's decoded channels mixed to mono (see ./flac.ts), every sum the JavaScript's: the channels' integer
// sum times k = 1 / (2^(b−1) × channels) in f64, rounded to f32 (one channel: k is a power of two and the f32
// product is exact, so four at a time).

/** The magnitude bits of v: |v| for v ≥ 0, |v| − 1 below; OR-ed over a block, under 2^(b−1) iff all fit b bits. */
@inline
function mag(v: i32): i32 {
  return v ^ (v >> 31);
}

/**
 * The n samples of each channel (i32, `stride` bytes apart at x; channel assignment `assign`, stereo ones
 * undone here) mixed into out; false if a sample does not fit `depth` bits (libFLAC's to judge).
 */
export function mix(x: usize, stride: usize, n: i32, ch: i32, assign: i32, k: f64, out: usize, depth: i32): bool {
  let m = 0;
  if (ch == 1) {
    const kv = f32x4.splat(<f32>k); // k is a power of two: the f32 product is exact, as is the JavaScript's
    let mv = i32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      mv = v128.or(mv, v128.xor(v, i32x4.shr_s(v, 31)));
      v128.store(out + (<usize>i << 2), f32x4.mul(f32x4.convert_i32x4_s(v), kv));
    }
    m = i32x4.extract_lane(mv, 0) | i32x4.extract_lane(mv, 1) | i32x4.extract_lane(mv, 2) | i32x4.extract_lane(mv, 3);
    for (; i < n; i++) {
      const v = load<i32>(x + (<usize>i << 2));
      m |= mag(v);
      store<f32>(out + (<usize>i << 2), <f32>(<f64>v * k));
    }
  } else if (assign < 8) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < ch; c++) {
        const v = load<i32>(x + <usize>c * stride + (<usize>i << 2));
        m |= mag(v);
        s += v;
      }
      store<f32>(out + (<usize>i << 2), <f32>(<f64>s * k));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const u = load<i32>(x + (<usize>i << 2));
      const v = load<i32>(x + stride + (<usize>i << 2));
      let left = u;
      let right = u - v; // left/side
      if (assign == 9) {
        left = u + v; // side/right
        right = v;
      } else if (assign == 10) {
        const mid = (u << 1) | (v & 1); // mid/side
        left = (mid + v) >> 1;
        right = (mid - v) >> 1;
      }
      m |= mag(left) | mag(right);
      store<f32>(out + (<usize>i << 2), <f32>(<f64>(left + right) * k));
    }
  }
  return m < 1 << (depth - 1);
}
