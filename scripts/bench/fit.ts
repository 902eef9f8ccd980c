// What scripts/bench-alignment.ts fits and scores with: a logistic regression with non-negative weights, and
// the ROC AUC.

import type { FitFeatures } from '../../src/analyzers/clip/transcript-fit.js';

/**
 * Logistic regression by projected gradient descent on standardised features, every weight kept ≥ 0 (each
 * feature grows with the misfit, so none may count against it); L2-regularised; the two classes weigh the same
 * however many pairs each has. Returns the bias and the weights in the features' raw units.
 */
export function fitNonNegative(xs: number[][], ys: number[], l2 = 0.01): { bias: number; weights: number[] } {
  const d = xs[0].length;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + x[j], 0) / xs.length);
  const sd = mean.map((m, j) => Math.sqrt(xs.reduce((s, x) => s + (x[j] - m) ** 2, 0) / xs.length) || 1);
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]) / sd[j]));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const pos = ys.filter((y) => y === 1).length;
  const cw = ys.map((y) => (y ? 0.5 / pos : 0.5 / (ys.length - pos)));
  for (let it = 0; it < 2000; it++) {
    const gw = w.map((v) => l2 * v);
    let gb = 0;
    for (let i = 0; i < z.length; i++) {
      const p = 1 / (1 + Math.exp(-(b + z[i].reduce((s, v, j) => s + v * w[j], 0))));
      const g = (p - ys[i]) * cw[i];
      gb += g;
      for (let j = 0; j < d; j++) gw[j] += g * z[i][j];
    }
    b -= gb;
    for (let j = 0; j < d; j++) w[j] = Math.max(0, w[j] - gw[j]);
  }
  return {
    bias: b - w.reduce((s, v, j) => s + (v * mean[j]) / sd[j], 0),
    weights: w.map((v, j) => v / sd[j]),
  };
}

/** Probability that a mismatched pair scores above a true one (ties count half): the ROC AUC. */
export function auc(truth: number[], mismatched: number[]): number {
  let wins = 0;
  for (const t of truth) for (const m of mismatched) wins += m > t ? 1 : m === t ? 0.5 : 0;
  return wins / (truth.length * mismatched.length);
}

/** A pair's features in the weights' units, from its metrics as the analyzer computes them. */
export function featuresFromMetrics(m: Record<string, number>, framesPerPhone: number): FitFeatures {
  const pace = m['alignment.asr_speech_frames_per_phone'];
  const lnPace = pace > 0 ? Math.log(pace / framesPerPhone) : 0;
  return {
    dtwScore: m['alignment.score'],
    skipped: m['alignment.asr_skipped'],
    tailSkipped: m['alignment.asr_tail_skipped'] ?? 1,
    uncovered: m['alignment.asr_uncovered'],
    acousticCost: (m['alignment.asr_acoustic_cost'] ?? 40) / 100,
    slow: Math.max(0, lnPace),
    fast: Math.max(0, -lnPace),
    wer: Math.min(2, m['alignment.asr_wer'] ?? 0),
    posterior: m['alignment.asr_posterior'] === undefined ? 0 : 1 - m['alignment.asr_posterior'],
  };
}
