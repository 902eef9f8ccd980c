// FLAC frames decoded and mixed to mono (see src/audio/flac-kernel.ts for when and why): fixed and LPC subframes,
// Rice and Rice2 partitions with escapes, wasted bits, the four channel assignments, 8 to 24 bits. It decodes only
// what it can vouch for: anything else (a reserved code, a sample outside its bit depth, a residual past 32 bits, a
// frame not ending where its subframes do, a header at odds with STREAMINFO) returns -1 and the caller hands the
// whole file to libFLAC, whose result is the reference. Every read stays inside the frame (zeros come in past its
// end and the bits used are checked) and every loop is bounded by the block size, so a hostile frame cannot hang
// or overrun. Sums are exact: 32-bit where no sum of in-range samples can overflow, else 64-bit.

import { lpc } from './flac-lpc';
import { mix } from './flac-mix';

let p: usize = 0; // next byte to load into the cache
let lim: usize = 0; // end of the frame: never loaded from
let cache: u64 = 0; // the next bits, left-aligned; the bits past `avail` are zero
let avail: i32 = 0;
let bad = false;
/** frame()'s answer when the output has no room for its block. */
const FULL = -2;

@inline
function fill(): void {
  if (avail <= 32) {
    if (p < lim) cache |= <u64>bswap<u32>(load<u32>(p)) << <u64>(32 - avail);
    p += 4;
    avail += 32;
  }
}

/** The next n (0 … 32) bits, unsigned. */
function bits(n: i32): u32 {
  if (n == 0) return 0;
  fill();
  const r = <u32>(cache >> <u64>(64 - n));
  cache = (cache << <u64>(n - 1)) << 1;
  avail -= n;
  return r;
}

function signed(n: i32): i32 {
  if (n == 0) return 0;
  return <i32>(bits(n) << (32 - n)) >> (32 - n);
}

/** The count of 0 bits before the next 1 (consumed); stops a few bytes past the frame's end. */
function unary(): u32 {
  let q: u32 = 0;
  fill();
  while (cache == 0) {
    q += <u32>avail;
    avail = 0;
    if (p >= lim + 8) {
      bad = true;
      return 0;
    }
    fill();
  }
  const z = <i32>clz(cache);
  cache = (cache << <u64>z) << 1;
  avail -= z + 1;
  return q + <u32>z;
}

/** The residual of a subframe into x[order … n): Rice partitions, the bit cache in locals in the hot loop. */
function residual(x: usize, n: i32, order: i32): void {
  const method = bits(2);
  const po = <i32>bits(4);
  const per = n >> po;
  if (method > 1 || per << po != n || per < order) {
    bad = true;
    return;
  }
  const width = method == 0 ? 4 : 5;
  const escape = method == 0 ? 15 : 31;
  let over: u64 = 0;
  let i = order;
  for (let part = 0; part < 1 << po; part++) {
    const stop = (part + 1) * per;
    const k = <i32>bits(width);
    if (k == escape) {
      const b = <i32>bits(5);
      for (; i < stop; i++) store<i32>(x + (<usize>i << 2), signed(b));
    } else {
      let c = cache;
      let a = avail;
      let q = p;
      for (; i < stop; i++) {
        if (a <= 32) {
          if (q < lim) c |= <u64>bswap<u32>(load<u32>(q)) << <u64>(32 - a);
          q += 4;
          a += 32;
        }
        const z = <i32>clz(c);
        const need = z + 1 + k;
        let v: u64;
        if (need <= a) {
          // k = 0 reads ((…) >> 63) >> 1 = 0: no shift by 64 (WebAssembly takes shifts mod 64).
          v = (<u64>z << <u64>k) | (((c << <u64>(z + 1)) >> <u64>(63 - k)) >> 1);
          c = (c << <u64>(need - 1)) << 1;
          a -= need;
        } else {
          cache = c;
          avail = a;
          p = q;
          v = (<u64>unary() << <u64>k) | <u64>bits(k);
          c = cache;
          a = avail;
          q = p;
        }
        over |= v;
        store<i32>(x + (<usize>i << 2), <i32>(v >> 1) ^ -<i32>(v & 1));
      }
      cache = c;
      avail = a;
      p = q;
    }
    if (p > lim + 8) bad = true;
    if (bad) return;
  }
  if (over >> 32) bad = true; // a residual past 32 bits: libFLAC's to judge
}

// The fixed predictors, in 64 bits (a 24-bit side channel's sums pass 32 bits).
function fixed(x: usize, n: i32, order: i32): void {
  if (order == 0) return;
  for (let e = x + (<usize>order << 2), end = x + (<usize>n << 2); e < end; e += 4) {
    const a = <i64>load<i32>(e - 4);
    let pred = a;
    if (order > 1) {
      const b = <i64>load<i32>(e - 8);
      if (order == 2) pred = 2 * a - b;
      else {
        const c = <i64>load<i32>(e - 12);
        pred = order == 3 ? 3 * a - 3 * b + c : 4 * a - 6 * b + 4 * c - <i64>load<i32>(e - 16);
      }
    }
    store<i32>(e, <i32>(pred + <i64>load<i32>(e)));
  }
}

/** One subframe of n samples of bps bits into x (i32); qlp: room for 40 coefficients (see ./flac-lpc.ts). */
function subframe(x: usize, n: i32, bps: i32, qlp: usize): void {
  const head = bits(8);
  const type = <i32>(head >> 1) & 0x3f;
  let wasted = 0;
  if (head & 1) {
    wasted = <i32>unary() + 1;
    bps -= wasted;
  }
  const order = type >= 32 ? type - 31 : type - 8;
  if (head & 0x80 || bps <= 0 || (type > 1 && type < 8) || (type > 12 && type < 32) || order > n) {
    bad = true;
    return;
  }
  if (type == 0) {
    const v = signed(bps);
    for (let i = 0; i < n; i++) store<i32>(x + (<usize>i << 2), v);
  } else if (type == 1) {
    for (let i = 0; i < n; i++) store<i32>(x + (<usize>i << 2), signed(bps));
  } else {
    for (let i = 0; i < order; i++) store<i32>(x + (<usize>i << 2), signed(bps));
    if (type < 32) {
      residual(x, n, order);
      if (!bad) fixed(x, n, order);
    } else {
      const precision = <i32>bits(4) + 1;
      const shift = signed(5);
      for (let j = 0; j < order; j++) store<i32>(qlp + (<usize>j << 2), signed(precision));
      if (precision == 16 || shift < 0) bad = true;
      else residual(x, n, order);
      if (!bad) lpc(x, n, order, shift, bps, qlp);
    }
  }
  if (wasted > 0) for (let i = 0; i < n; i++) store<i32>(x + (<usize>i << 2), load<i32>(x + (<usize>i << 2)) << wasted);
}

/** A frame header's sample rate code (1 … 11) in Hz; the others are read after the header or refer to STREAMINFO. */
function rateOf(code: i32): i32 {
  if (code == 1) return 88200;
  if (code == 2) return 176400;
  if (code == 3) return 192000;
  if (code == 4) return 8000;
  if (code == 5) return 16000;
  if (code == 6) return 22050;
  if (code == 7) return 24000;
  if (code == 8) return 32000;
  if (code == 9) return 44100;
  if (code == 10) return 48000;
  return code == 11 ? 96000 : 0;
}

/**
 * The frame of len bytes at `at` (its header already checked by its CRC-8, the frame by its CRC-16), decoded
 * and mixed to mono into out: the channels' integer sum times k. Returns its block size, -1 if it cannot vouch
 * for it, or FULL if it holds more than `room` samples. work: 256 bytes, then a block of i32 per channel.
 */
function frame(at: usize, len: i32, rate: i32, channels: i32, depth: i32, k: f64, out: usize, room: i32, work: usize): i32 {
  const b2 = <i32>load<u8>(at + 2);
  const b3 = <i32>load<u8>(at + 3);
  const sizeCode = b2 >> 4;
  const rateCode = b2 & 15;
  const assign = b3 >> 4;
  const lead = <i32>load<u8>(at + 4);
  let q = at + 5 + <usize>(lead < 0x80 ? 0 : lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : lead < 0xf8 ? 3 : lead < 0xfc ? 4 : lead < 0xfe ? 5 : 6);
  let n = sizeCode == 1 ? 192 : sizeCode <= 5 ? 576 << (sizeCode - 2) : 256 << (sizeCode - 8);
  if (sizeCode == 6) n = <i32>load<u8>(q++) + 1;
  else if (sizeCode == 7) {
    n = ((<i32>load<u8>(q) << 8) | <i32>load<u8>(q + 1)) + 1;
    q += 2;
  }
  let r = rateOf(rateCode);
  if (rateCode == 12) r = <i32>load<u8>(q++) * 1000;
  else if (rateCode >= 13 && rateCode <= 14) {
    r = ((<i32>load<u8>(q) << 8) | <i32>load<u8>(q + 1)) * (rateCode == 13 ? 1 : 10);
    q += 2;
  }
  const ch = assign < 8 ? assign + 1 : 2;
  const bpsCode = (b3 >> 1) & 7;
  const b = bpsCode == 1 ? 8 : bpsCode == 4 ? 16 : bpsCode == 6 ? 24 : 0;
  if (sizeCode == 0 || assign > 10 || r != rate || ch != channels || b != depth) return -1;
  if (n > room) return FULL;
  bad = false;
  p = q + 1; // past the CRC-8
  lim = at + <usize>len;
  cache = 0;
  avail = 0;
  const qlp = work;
  const stride = <usize>n << 2;
  const x = work + 256;
  for (let c = 0; c < ch; c++) {
    const side = (assign == 8 && c == 1) || (assign == 9 && c == 0) || (assign == 10 && c == 1) ? 1 : 0;
    subframe(x + <usize>c * stride, n, depth + side, qlp);
    if (bad) return -1;
  }
  // The subframes end, padded with zero bits to a byte, right where the frame's CRC-16 starts (as libFLAC reads).
  const used = (<i64>(p - at) << 3) - <i64>avail;
  const pad = <i32>((8 - (used & 7)) & 7);
  if ((used + pad) >> 3 != <i64>(len - 2) || bits(pad) != 0) return -1;
  return mix(x, stride, n, ch, assign, k, out, depth) ? n : -1;
}

/**
 * The frames [bounds[i], bounds[i+1]) (i32 offsets from src) decoded and mixed to mono into out (f32), up to `room`
 * samples: stops before a frame that does not fit (the caller goes on from there) and stores the count of frames
 * decoded at `done`. Returns the count of samples, or -1 if a frame is one this decoder cannot vouch for. Bytes
 * past the last frame: 4 readable (zeros). work: 256 bytes plus 65,536 i32 per channel; channels 1 … 8, depth 8,
 * 16 or 24.
 */
export function flacDecode(
  src: usize,
  bounds: usize,
  frames: i32,
  rate: i32,
  channels: i32,
  depth: i32,
  out: usize,
  room: i32,
  work: usize,
  done: usize,
): i32 {
  const k = 1 / (<f64>(1 << (depth - 1)) * <f64>channels);
  let pos = 0;
  let f = 0;
  for (; f < frames; f++) {
    const from = load<i32>(bounds + (<usize>f << 2));
    const len = load<i32>(bounds + (<usize>(f + 1) << 2)) - from;
    const n = frame(src + <usize>from, len, rate, channels, depth, k, out + (<usize>pos << 2), room - pos, work);
    if (n == FULL) break;
    if (n < 0) return -1;
    pos += n;
  }
  store<i32>(done, f);
  return pos;
}
