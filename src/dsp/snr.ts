import { vadSnr } from './vad-snr.js';
import { wadaSnr, wadaSnrFromSums, type AmplitudeSums } from './wada-snr.js';

// WADA-SNR reads babble and music optimistically (it assumes Gaussian noise); the VAD estimate
// leans low at high SNR, where the clip's own recording noise counts as noise. Their weighted mean
// errs least across white, pink and babble noise (weights chosen there): scripts/bench-snr.ts prints the figures.
const WADA_WEIGHT = 0.25;

/**
 * Both SNR estimates of a clip (dB), and the blend the report leads with. Given the clip's features
 * (`stats`, `samplePeak`), WADA-SNR comes from their sums instead of another pass over the samples.
 */
export function snrEstimate(
  samples: Float32Array,
  levels: { rmsDb: Float32Array; rmsDbSorted: Float32Array; stats?: AmplitudeSums; samplePeak?: number },
  thresholdDb: number,
): { wada: number; vad: number; reported: number } {
  const fromSums =
    levels.stats && levels.samplePeak !== undefined ? wadaSnrFromSums(levels.stats, levels.samplePeak) : null;
  const wada = fromSums ?? wadaSnr(samples);
  const vad = vadSnr(levels.rmsDb, levels.rmsDbSorted, thresholdDb);
  // At its table's ceiling WADA says only "above 100 dB" (long near-silent stretches do that): no blend then.
  const wadaUsable = Number.isFinite(wada) && wada < 100;
  const reported =
    wadaUsable && Number.isFinite(vad)
      ? WADA_WEIGHT * wada + (1 - WADA_WEIGHT) * vad
      : Number.isFinite(vad)
        ? vad
        : wada;
  return { wada, vad, reported };
}
