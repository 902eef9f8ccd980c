import { z } from 'zod';
import type { MetricSummary } from '../../util/metric-stats.js';
import { defineDatasetAnalyzer } from '../types.js';

const PERCENTILES = [1, 5, 25, 50, 75, 95, 99] as const;

export const distributionSchema = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  percentiles: z.record(z.string(), z.number().nullable()).describe('p1, p5, p25, p50, p75, p95, p99'),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) }),
});
export type Distribution = z.output<typeof distributionSchema>;

const nullable = (x: number) => (Number.isFinite(x) ? x : null);

export function describeDistribution(m: MetricSummary, bins: number): Distribution {
  return {
    count: m.count,
    mean: nullable(m.mean),
    min: nullable(m.min),
    max: nullable(m.max),
    percentiles: Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, nullable(m.count ? m.quantile(p) : NaN)])),
    histogram: m.histogram(bins),
  };
}

const config = z
  .strictObject({
    metrics: z
      .array(z.string())
      .default([
        'signal.duration_sec',
        'signal.peak_dbfs',
        'signal.rms_dbfs',
        'noise.snr_db',
        'noise.wada_snr_db',
        'noise.vad_snr_db',
        'noise.floor_dbfs',
        'loudness.integrated_lufs',
        'bandwidth.effective_hz',
        'silence.leading_sec',
        'silence.trailing_sec',
        'silence.longest_pause_sec',
        'rate.chars_per_sec',
        'phonemes.per_sec',
        'alignment.score',
        'text.chars',
      ])
      .describe('Clip metrics summarised with percentiles and a histogram.'),
    histogramBins: z.number().int().min(2).max(200).default(20).describe('Bins of each histogram in the report.'),
    exactUpTo: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe(
        'Clips up to which percentiles, histograms and finding percentiles are exact; beyond, a DDSketch per metric (each quantile within 0.5 % of the true value) keeps memory flat however large the corpus.',
      ),
  })
  .prefault({});

export const distributions = defineDatasetAnalyzer({
  name: 'distributions',
  description: 'Percentiles and histograms of the clip metrics over the dataset.',
  config,
  findings: {},
  summary: z.record(z.string(), distributionSchema),
  create(c) {
    return {
      add() {},
      finish(stats) {
        const entries = c.metrics.flatMap((m) => {
          const summary = stats.get(m);
          return summary ? [[m, describeDistribution(summary, c.histogramBins)]] : [];
        });
        return { summary: Object.fromEntries(entries), clipFindings: [] };
      },
    };
  },
});
