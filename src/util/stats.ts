/** Small statistics helpers over numeric arrays; NaN values are ignored. */

export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[n++] = values[i];
  return out.subarray(0, n).sort();
}

/** Linear-interpolated quantile (the numpy default), p in 0…100, of an ascending array. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Share of values ≤ x, in percent (0–100): where a clip's value sits in the dataset. */
export function percentileRank(sorted: ArrayLike<number>, x: number): number {
  const n = sorted.length;
  if (n === 0 || !Number.isFinite(x)) return NaN;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return (100 * lo) / n;
}

export function median(values: ArrayLike<number>): number {
  return quantile(sortedFinite(values), 50);
}

/** Median absolute deviation (unscaled). */
export function mad(values: ArrayLike<number>, center = median(values)): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i] - center);
  return median(dev);
}

/**
 * Iglewicz–Hoaglin modified z-score, 0.6745·(x − median)/MAD: robust to the outliers it looks for.
 * When MAD is 0 (over half the values equal) the mean absolute deviation stands in (×1.253314/0.6745).
 */
export function robustZ(values: ArrayLike<number>): Float64Array {
  const { center, spread, scale } = robustScale(values);
  const z = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) z[i] = spread > 0 ? (scale * (values[i] - center)) / spread : 0;
  return z;
}

/** The centre and spread `robustZ` judges by, to score values that are not among `values` (a sample's). */
export function robustScale(values: ArrayLike<number>): { center: number; spread: number; scale: number } {
  const center = median(values);
  let spread = mad(values, center);
  let scale = 0.6745;
  if (!(spread > 0)) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      if (Number.isFinite(values[i])) {
        sum += Math.abs(values[i] - center);
        n++;
      }
    }
    spread = n > 0 ? sum / n : 0;
    scale = 0.6745 / 1.253314;
  }
  return { center, spread, scale };
}

export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function dbfs(amplitude: number): number {
  return amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity;
}

/**
 * Wilson score interval (95 % by default) of a share `k/n` estimated from a random sample of `n` out of a
 * population of `population`: honest at 0 and near 1, where the normal one is not. Sampling without replacement
 * from a finite population narrows it (the sample counts as n·(N−1)/(N−n) draws); a census has no width.
 */
export function wilsonInterval(k: number, n: number, population = Infinity, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  if (population <= n) return { low: p, high: p };
  const m = Number.isFinite(population) ? (n * (population - 1)) / (population - n) : n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * m)) / (1 + z2 / m);
  const half = (z * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m))) / (1 + z2 / m);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
