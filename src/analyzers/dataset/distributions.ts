import { z } from 'zod';
import { quantile, sortedFinite } from '../../util/stats.js';
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

export function describeDistribution(values: ArrayLike<number>, bins: number): Distribution {
  const sorted = sortedFinite(values);
  const n = sorted.length;
  const min = n ? sorted[0] : NaN;
  const max = n ? sorted[n - 1] : NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(n ? bins : 0).fill(0);
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((sorted[i] - min) / width))]++;
  const edges = n ? Array.from({ length: bins + 1 }, (_, i) => min + i * width) : [];
  return {
    count: n,
    mean: nullable(n ? sum / n : NaN),
    min: nullable(min),
    max: nullable(max),
    percentiles: Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, nullable(quantile(sorted, p))])),
    histogram: { edges, counts },
  };
}

const config = z
  .object({
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
      finish(columns) {
        const known = new Set(columns.names());
        const entries = c.metrics
          .filter((m) => known.has(m))
          .map((m) => [m, describeDistribution(columns.get(m), c.histogramBins)]);
        return { summary: Object.fromEntries(entries), clipFindings: [] };
      },
    };
  },
});
