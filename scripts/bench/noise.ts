// Noise of known kind and level, mixed into real clean speech: the ground truth for SNR estimators.

/** mulberry32: a small seeded PRNG, so every run mixes the same noise. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function whiteNoise(n: number, seed: number): Float32Array {
  const u = uniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u() + 1e-12));
    const phi = 2 * Math.PI * u();
    out[i] = r * Math.cos(phi);
    if (i + 1 < n) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

/** 1/f noise: white noise through Paul Kellet's economy pink filter (±0.5 dB from 10 Hz to Nyquist/2). */
export function pinkNoise(n: number, seed: number): Float32Array {
  const w = whiteNoise(n, seed);
  let b0 = 0,
    b1 = 0,
    b2 = 0;
  for (let i = 0; i < n; i++) {
    b0 = 0.99765 * b0 + w[i] * 0.099046;
    b1 = 0.963 * b1 + w[i] * 0.2965164;
    b2 = 0.57 * b2 + w[i] * 1.0526913;
    w[i] = b0 + b1 + b2 + w[i] * 0.1848;
  }
  return w;
}

/** Babble: several other talkers summed, each looped and started at a different point. */
export function babble(n: number, talkers: Float32Array[], seed: number): Float32Array {
  const u = uniform(seed);
  const out = new Float32Array(n);
  for (const t of talkers) {
    if (t.length === 0) continue;
    let j = Math.floor(u() * t.length);
    for (let i = 0; i < n; i++) {
      out[i] += t[j];
      j = j + 1 === t.length ? 0 : j + 1;
    }
  }
  return out;
}

function power(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / Math.max(1, x.length);
}

/** clean + noise scaled so that 10·log10(P_clean / P_noise) = snrDb, powers over the whole clip. */
export function mix(clean: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  const gain = Math.sqrt(power(clean) / (power(noise) * 10 ** (snrDb / 10)));
  const out = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) out[i] = clean[i] + gain * noise[i];
  return out;
}

/** Rumble: white noise through two 2-pole low-passes at 50 Hz (−24 dB/octave above): traffic, air handling, a desk. */
export function rumbleNoise(n: number, seed: number, sampleRate: number): Float32Array {
  const w = whiteNoise(n, seed);
  const w0 = (2 * Math.PI * 50) / sampleRate;
  const alpha = Math.sin(w0) / Math.SQRT2;
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 - cos) / 2 / a0;
  const b1 = (1 - cos) / a0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  for (let pass = 0; pass < 2; pass++) {
    let x1 = 0;
    let x2 = 0;
    let y1 = 0;
    let y2 = 0;
    for (let i = 0; i < n; i++) {
      const x = w[i];
      const y = b0 * x + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      w[i] = y;
    }
  }
  return w;
}
