import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { Distribution } from '../src/analyzers/dataset/distributions.js';
import { clipBins, histogramChart } from '../src/outputs/report-html-charts.js';

// A histogram spans p1–p99 of its metric: the outliers beyond are counted in an edge bar that says so, instead of
// squeezing every other clip into one bin.

/** 990 clips between 0 and 50, ten at 950–1000: the report's 20 bins of 50 each. */
const skewed: Distribution = {
  count: 1000,
  mean: 59,
  min: 0,
  max: 1000,
  percentiles: { p1: 0.5, p5: 2.5, p25: 12, p50: 25, p75: 37, p95: 47, p99: 49.5 },
  histogram: {
    edges: Array.from({ length: 21 }, (_, i) => i * 50),
    counts: [990, ...Array<number>(18).fill(0), 10],
  },
};

describe('histograms clipped to p1–p99', () => {
  it('folds the bins wholly past p99 into one count, and keeps those that hold p1–p99', () => {
    expect(clipBins(skewed)).toEqual({ inner: [{ x1: 0, x2: 50, n: 990 }], below: 0, above: 10 });
    const low = { ...skewed, percentiles: { ...skewed.percentiles, p1: 120, p99: 900 } };
    const c = clipBins(low);
    expect(c.below).toBe(990);
    expect(c.above).toBe(10);
    expect(c.inner.map((b) => b.x1)).toEqual([
      100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800, 850, 900,
    ]);
  });

  it('draws the outliers as a labelled edge bar beside the p1–p99 bins', () => {
    const svg = parseHTML(`<html><body>${histogramChart(skewed, { label: 'x' }).value}</body></html>`).document;
    const titles = [...svg.querySelectorAll('rect title')].map((t) => t.textContent);
    expect(titles).toEqual(['0.00 – 50.0: 990 clips', '10 clips > 50.0 (above p99), outliers not drawn to scale']);
    expect([...svg.querySelectorAll('text')].map((t) => t.textContent)).toContain('> 50.0');
    // the axis ends at the edge bar (one bin past 50), not at the outliers' 1000
    const ticks = [...svg.querySelectorAll('[aria-label="x-axis tick label"] text')].map((t) => Number(t.textContent));
    expect(Math.max(...ticks)).toBeLessThan(150);
  });

  it('leaves a histogram with nothing past p1–p99 as it was', () => {
    const even: Distribution = { ...skewed, percentiles: { ...skewed.percentiles, p1: 0, p99: 1000 } };
    expect(clipBins(even).inner).toHaveLength(20);
    expect(clipBins(even).above).toBe(0);
  });
});
