import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';
import { percentileRank, quantile, sortedFinite } from './stats.js';

// Percentiles of every clip metric over the dataset, in memory that stops growing: exact (every value kept)
// up to `exactUpTo` clips, then a DDSketch per metric (Datadog's quantile sketch: each quantile within
// `relativeAccuracy` of the true value, mergeable, independent of the order values arrive in).

export interface MetricSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
  /** True while every value is kept; false once the sketch stands in. */
  exact: boolean;
  /** The p-th percentile (0–100), linear-interpolated when exact. */
  quantile(p: number): number;
  /** Share of values ≤ x, in percent. */
  rank(x: number): number;
  histogram(bins: number): { edges: number[]; counts: number[] };
}

export interface MetricStats {
  push(metrics: Record<string, number>): void;
  get(metric: string): MetricSummary | undefined;
  names(): string[];
}

export interface MetricStatsOptions {
  exactUpTo: number;
  relativeAccuracy?: number;
}

const BIN_LIMIT = 2048;

interface Column {
  values: Float64Array | undefined;
  n: number;
  sum: number;
  min: number;
  max: number;
  sketch: LogCollapsingLowestDenseDDSketch | undefined;
  sorted: Float64Array | undefined;
}

function histogramOf(
  n: number,
  min: number,
  max: number,
  bins: number,
  countBelow: (edge: number, last: boolean) => number,
) {
  if (n === 0) return { edges: [], counts: [] };
  const width = max > min ? (max - min) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  const counts: number[] = [];
  let before = 0;
  for (let i = 1; i <= bins; i++) {
    const upTo = countBelow(edges[i], i === bins);
    counts.push(upTo - before);
    before = upTo;
  }
  return { edges, counts };
}

function summarise(c: Column): MetricSummary {
  const base = { count: c.n, mean: c.n ? c.sum / c.n : NaN, min: c.n ? c.min : NaN, max: c.n ? c.max : NaN };
  if (c.values) {
    const sorted = (c.sorted ??= sortedFinite(c.values.subarray(0, c.n)));
    return {
      ...base,
      exact: true,
      quantile: (p) => quantile(sorted, p),
      rank: (x) => percentileRank(sorted, x),
      histogram: (bins) => {
        const width = c.max > c.min ? (c.max - c.min) / bins : 1;
        const counts = new Array<number>(c.n ? bins : 0).fill(0);
        for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - c.min) / width))]++;
        const edges = c.n ? Array.from({ length: bins + 1 }, (_, i) => c.min + i * width) : [];
        return { edges, counts };
      },
    };
  }
  const sketch = c.sketch!;
  // The sketch answers value-at-quantile; a rank is found by bisection on the quantile (monotone).
  const rank = (x: number) => {
    if (!(x >= c.min)) return 0;
    if (x >= c.max) return 100;
    let [lo, hi] = [0, 1];
    for (let k = 0; k < 30; k++) {
      const mid = (lo + hi) / 2;
      if (sketch.getValueAtQuantile(mid) <= x) lo = mid;
      else hi = mid;
    }
    return lo * 100;
  };
  return {
    ...base,
    exact: false,
    quantile: (p) => (p <= 0 ? c.min : p >= 100 ? c.max : sketch.getValueAtQuantile(p / 100)),
    rank,
    histogram: (bins) =>
      histogramOf(c.n, c.min, c.max, bins, (edge, last) => (last ? c.n : Math.round((rank(edge) / 100) * c.n))),
  };
}

export function metricStats({ exactUpTo, relativeAccuracy = 0.005 }: MetricStatsOptions): MetricStats {
  const columns = new Map<string, Column>();
  const toSketch = (c: Column) => {
    c.sketch = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy, binLimit: BIN_LIMIT });
    for (let i = 0; i < c.n; i++) c.sketch.accept(c.values![i]);
    c.values = undefined;
    c.sorted = undefined;
  };
  return {
    push(metrics) {
      for (const [k, v] of Object.entries(metrics)) {
        if (!Number.isFinite(v)) continue;
        let c = columns.get(k);
        if (!c) {
          c = {
            values: new Float64Array(Math.max(1, Math.min(1024, exactUpTo))),
            n: 0,
            sum: 0,
            min: Infinity,
            max: -Infinity,
            sketch: undefined,
            sorted: undefined,
          };
          columns.set(k, c);
        }
        c.sum += v;
        if (v < c.min) c.min = v;
        if (v > c.max) c.max = v;
        c.sorted = undefined;
        if (c.values && c.n >= exactUpTo) toSketch(c);
        if (c.values) {
          if (c.n === c.values.length) {
            const grown = new Float64Array(Math.min(exactUpTo, c.values.length * 2));
            grown.set(c.values);
            c.values = grown;
          }
          c.values[c.n] = v;
        }
        if (c.sketch) c.sketch.accept(v);
        c.n += 1;
      }
    },
    get: (m) => {
      const c = columns.get(m);
      return c ? summarise(c) : undefined;
    },
    names: () => [...columns.keys()],
  };
}
