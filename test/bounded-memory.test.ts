import { describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { idTable } from '../src/util/id-table.js';
import { metricStats } from '../src/util/metric-stats.js';
import { percentileRank, quantile, sortedFinite } from '../src/util/stats.js';
import { SAMPLES } from './helpers/run.js';
import { uniform } from '../scripts/bench/noise.js';

// The structures that let an audit of millions of clips run in flat memory, checked against exact answers.

describe('clip ids in a compact table', () => {
  it('tells every new id from a repeat among 300,000 ids, and keeps a value per id', () => {
    const t = idTable();
    for (let i = 0; i < 300_000; i++) expect(t.add(`LJ${i}`, i % 1000)).toBe(true);
    expect(t.size).toBe(300_000);
    for (let i = 0; i < 300_000; i += 997) {
      expect(t.add(`LJ${i}`)).toBe(false);
      expect(t.get(`LJ${i}`)).toBe(i % 1000);
    }
    expect(t.has('LJ300000')).toBe(false);
    expect(t.get('nope')).toBeUndefined();
    t.set('LJ5', 2.5);
    expect(t.get('LJ5')).toBe(2.5);
    expect(t.size).toBe(300_000);
  });
});

describe('metric percentiles past the exact limit', () => {
  const rand = uniform(7);
  // Skewed, signed and spread like real metrics: SNR in dB, durations in seconds, a few zeros.
  const values = Array.from({ length: 50_000 }, (_, i) => (i % 50 === 0 ? 0 : 30 * Math.log(rand() + 1e-3) + 20));
  const exact = sortedFinite(values);

  it('stays exact up to the limit, then within 0.5 % (relative) of every exact quantile', () => {
    const small = metricStats({ exactUpTo: 100_000 });
    const sketched = metricStats({ exactUpTo: 1_000 });
    for (const v of values) {
      small.push({ m: v });
      sketched.push({ m: v });
    }
    const a = small.get('m')!;
    const b = sketched.get('m')!;
    expect(a.exact).toBe(true);
    expect(b.exact).toBe(false);
    for (const p of [1, 5, 25, 50, 75, 95, 99]) {
      expect(a.quantile(p)).toBe(quantile(exact, p));
      const truth = quantile(exact, p);
      expect(Math.abs(b.quantile(p) - truth)).toBeLessThanOrEqual(0.011 * Math.abs(truth) + 0.05);
    }
    expect([b.count, b.min, b.max]).toEqual([a.count, a.min, a.max]);
    expect(b.mean).toBeCloseTo(a.mean, 6);
    for (const x of [-60, -20, 0, 10, 19]) expect(Math.abs(b.rank(x) - percentileRank(exact, x))).toBeLessThan(1);
    const h = b.histogram(20);
    expect(h.counts.reduce((s, c) => s + c, 0)).toBe(values.length);
    const e = a.histogram(20);
    for (let i = 0; i < 20; i++) expect(Math.abs(h.counts[i] - e.counts[i])).toBeLessThan(0.01 * values.length);
  });

  it('gives an audit the same report figures, within the sketch’s accuracy, when it switches early', async () => {
    const exactRun = await audit({ source: SAMPLES });
    const { report } = await audit({ source: SAMPLES, config: { analyzers: { distributions: { exactUpTo: 2 } } } });
    const [x, y] = [exactRun.report.dataset.distributions!, report.dataset.distributions!];
    for (const m of ['noise.snr_db', 'signal.duration_sec', 'loudness.integrated_lufs']) {
      expect(y[m].count).toBe(x[m].count);
      expect(y[m].percentiles.p50!).toBeCloseTo(x[m].percentiles.p50!, 0);
    }
    expect(report.summary).toEqual(exactRun.report.summary);
  });
});
