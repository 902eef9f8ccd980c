// The power spectrum as it was in JavaScript before its transform moved to WebAssembly (src/kernels/assembly/
// fft.ts), kept verbatim as the oracle: test/kernels.test.ts holds the kernel to it bit for bit, and
// scripts/bench/kernels.ts times the two. Not used by src/.
//
// Hann-windowed power spectrum of a real frame: the N real samples are packed into N/2 complex points
// (even samples real, odd imaginary), transformed by a radix-4 FFT of N/2 points, and the two interleaved
// half-spectra are separated at the end. Everything lives in typed arrays made once per size, so a frame
// allocates nothing. This replaced fft.js, whose transform writes into a plain JS array: the spectra were
// most of the feature stage's time.

/** A reusable real FFT of one size (a power of two, at least 8), shared by every clip. */
export interface RealFft {
  size: number;
  window: Float64Array;
  /** A frame that reaches past either end of the clip, zero-padded. */
  edge: Float32Array;
  /** The N/2-point complex transform, in place, interleaved (re, im): a butterfly's two loads share a cache line (~12 % faster than two arrays). */
  z: Float64Array;
  /** Bit reversal over N/2 points. */
  reverse: Int32Array;
  /** Per radix-4 pass of quarter length L (L > 1), for k < L: cos, −sin of 2πk/4L, 2·2πk/4L, 3·2πk/4L. */
  twiddles: Float64Array;
  /** cos, −sin of 2πk/N for k ≤ N/4, to separate the half-spectra. */
  splitCos: Float64Array;
  splitSin: Float64Array;
  /** log2(N/2) is odd: a radix-2 pass comes first. */
  oddBits: boolean;
}

const cache = new Map<number, RealFft>();

export function realFft(size: number): RealFft {
  let entry = cache.get(size);
  if (!entry) {
    entry = makeRealFft(size);
    cache.set(size, entry);
  }
  return entry;
}

function makeRealFft(size: number): RealFft {
  const m = size >> 1;
  const bits = Math.log2(m);
  if (!Number.isInteger(bits) || m < 4) throw new Error(`FFT size ${size} is not a power of two ≥ 8`);
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  const reverse = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  const twiddles: number[] = [];
  for (let quarter = bits % 2 === 1 ? 2 : 4; quarter < m; quarter *= 4) {
    for (let k = 0; k < quarter; k++) {
      for (let t = 1; t <= 3; t++) {
        const phase = (2 * Math.PI * t * k) / (4 * quarter);
        twiddles.push(Math.cos(phase), -Math.sin(phase));
      }
    }
  }
  const splitCos = new Float64Array(m / 2 + 1);
  const splitSin = new Float64Array(m / 2 + 1);
  for (let k = 0; k <= m / 2; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / size);
    splitSin[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    window,
    edge: new Float32Array(size),
    z: new Float64Array(2 * m),
    reverse,
    twiddles: Float64Array.from(twiddles),
    splitCos,
    splitSin,
    oddBits: bits % 2 === 1,
  };
}

/**
 * Hann-windowed power spectrum (bins 0…size/2) of `samples[start, start+size)`; samples outside the clip count as zero.
 * Writes into `power` (length size/2+1).
 */
export function powerSpectrum(f: RealFft, samples: Float32Array, start: number, power: Float64Array): void {
  const { size, edge } = f;
  if (start >= 0 && start + size <= samples.length) {
    transform(f, samples, start);
  } else {
    const first = Math.max(0, -start);
    const end = Math.max(first, Math.min(size, samples.length - start));
    edge.fill(0);
    for (let i = first; i < end; i++) edge[i] = samples[start + i];
    transform(f, edge, 0);
  }
  separate(f, power);
}

/**
 * The N/2-point complex FFT of the windowed frame `x[at, at+N)` packed in pairs, decimation in time; the first
 * pass reads the frame, windows it and undoes the bit reversal on the way.
 */
function transform(f: RealFft, x: Float32Array, at: number): void {
  const { window: w, z, reverse, twiddles } = f;
  const m = z.length >> 1;
  let quarter: number;
  if (f.oddBits) {
    // An odd number of bits: one radix-2 pass first; inputs s and s+1 sit m/2 apart before reversal.
    for (let s = 0; s < m; s += 2) {
      const p = 2 * reverse[s];
      const q = p + m;
      const r0 = x[at + p] * w[p];
      const i0 = x[at + p + 1] * w[p + 1];
      const r1 = x[at + q] * w[q];
      const i1 = x[at + q + 1] * w[q + 1];
      const o = 2 * s;
      z[o] = r0 + r1;
      z[o + 1] = i0 + i1;
      z[o + 2] = r0 - r1;
      z[o + 3] = i0 - i1;
    }
    quarter = 2;
  } else {
    // A radix-4 pass whose twiddles are all 1; inputs s … s+3 sit at r, r+m/2, r+m/4, r+3m/4 before reversal.
    // Offsets in real samples of the complex points m/2, m/4 and 3m/4.
    const o1 = m;
    const o2 = m >> 1;
    const o3 = o1 + o2;
    for (let s = 0; s < m; s += 4) {
      const p = 2 * reverse[s];
      const x0r = x[at + p] * w[p];
      const x0i = x[at + p + 1] * w[p + 1];
      const x1r = x[at + p + o1] * w[p + o1];
      const x1i = x[at + p + o1 + 1] * w[p + o1 + 1];
      const x2r = x[at + p + o2] * w[p + o2];
      const x2i = x[at + p + o2 + 1] * w[p + o2 + 1];
      const x3r = x[at + p + o3] * w[p + o3];
      const x3i = x[at + p + o3 + 1] * w[p + o3 + 1];
      const ar = x0r + x1r;
      const ai = x0i + x1i;
      const br = x0r - x1r;
      const bi = x0i - x1i;
      const cr = x2r + x3r;
      const ci = x2i + x3i;
      const dr = x2r - x3r;
      const di = x2i - x3i;
      const o = 2 * s;
      z[o] = ar + cr;
      z[o + 1] = ai + ci;
      z[o + 4] = ar - cr;
      z[o + 5] = ai - ci;
      // b ∓ i·d
      z[o + 2] = br + di;
      z[o + 3] = bi - dr;
      z[o + 6] = br - di;
      z[o + 7] = bi + dr;
    }
    quarter = 4;
  }
  for (let w = 0; quarter < m; quarter *= 4) {
    const q2 = 2 * quarter;
    const span = 8 * quarter;
    const end = 2 * m;
    for (let k = 0; k < quarter; k++, w += 6) {
      const c1 = twiddles[w];
      const s1 = twiddles[w + 1];
      const c2 = twiddles[w + 2];
      const s2 = twiddles[w + 3];
      const c3 = twiddles[w + 4];
      const s3 = twiddles[w + 5];
      for (let a0 = 2 * k; a0 < end; a0 += span) {
        // Bit-reversed order holds the sub-transforms turned by W^0, W^2k, W^k, W^3k at a0, a1, a2, a3 (×2: interleaved).
        const a1 = a0 + q2;
        const a2 = a1 + q2;
        const a3 = a2 + q2;
        const x0r = z[a0];
        const x0i = z[a0 + 1];
        const ur = z[a1];
        const ui = z[a1 + 1];
        const t2r = ur * c2 - ui * s2;
        const t2i = ur * s2 + ui * c2;
        const vr = z[a2];
        const vi = z[a2 + 1];
        const t1r = vr * c1 - vi * s1;
        const t1i = vr * s1 + vi * c1;
        const zr = z[a3];
        const zi = z[a3 + 1];
        const t3r = zr * c3 - zi * s3;
        const t3i = zr * s3 + zi * c3;
        const ar = x0r + t2r;
        const ai = x0i + t2i;
        const br = x0r - t2r;
        const bi = x0i - t2i;
        const cr = t1r + t3r;
        const ci = t1i + t3i;
        const dr = t1r - t3r;
        const di = t1i - t3i;
        z[a0] = ar + cr;
        z[a0 + 1] = ai + ci;
        z[a2] = ar - cr;
        z[a2 + 1] = ai - ci;
        z[a1] = br + di;
        z[a1 + 1] = bi - dr;
        z[a3] = br - di;
        z[a3 + 1] = bi + dr;
      }
    }
  }
}

/**
 * Power of the real frame's spectrum from Z, the transform of the packed frame: with E and O the spectra of
 * the even and odd samples, E[k] = (Z[k] + Z*[M−k])/2, O[k] = (Z[k] − Z*[M−k])/2i and X[k] = E[k] + W^k·O[k];
 * bins k and M−k share their two inputs.
 */
function separate(f: RealFft, power: Float64Array): void {
  const { z, splitCos, splitSin } = f;
  const m = z.length >> 1;
  const dc = z[0] + z[1];
  const nyquist = z[0] - z[1];
  power[0] = dc * dc;
  power[m] = nyquist * nyquist;
  for (let k = 1, j = m - 1; k <= j; k++, j--) {
    const zr = z[2 * k];
    const zi = z[2 * k + 1];
    const yr = z[2 * j];
    const yi = z[2 * j + 1];
    const er = 0.5 * (zr + yr);
    const ei = 0.5 * (zi - yi);
    // O[k] = (Z[k] − Z*[M−k]) / 2i
    const or = 0.5 * (zi + yi);
    const oi = -0.5 * (zr - yr);
    const c = splitCos[k];
    const s = splitSin[k];
    // W^k = c + i·s.
    const pr = or * c - oi * s;
    const pi = or * s + oi * c;
    const xr = er + pr;
    const xi = ei + pi;
    power[k] = xr * xr + xi * xi;
    if (j !== k) {
      // X[M−k] = E*[k] + W^(M−k)·O*[k], with W^(M−k) = −c + i·s.
      const qr = s * oi - c * or;
      const qi = s * or + c * oi;
      const x2r = er + qr;
      const x2i = -ei + qi;
      power[j] = x2r * x2r + x2i * x2i;
    }
  }
}
