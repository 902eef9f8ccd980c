import { vadSnr } from './vad-snr.js';
import { fromAmplitudeStats } from './wada-snr.js';

// WADA-SNR reads babble and music optimistically (it assumes Gaussian noise); the VAD estimate
// leans low at high SNR, where the clip's own recording noise counts as noise. Their weighted mean
// errs least across white, pink and babble noise (weights chosen there): scripts/bench-snr.ts prints the figures.
// Both are taken on the speech band (the signal high-passed at `SPEECH_BAND_HZ`): rumble below it is its own
// finding, repaired by a high-pass, and must not read as noise that drops a clip.
const WADA_WEIGHT = 0.25;

/** The estimator and band, as the report names them. */
export const SNR_ESTIMATOR = 'speech band above 100 Hz: 0.25·WADA-SNR + 0.75·speech/pause frame energy';

/**
 * Both SNR estimates of a clip (dB), and the blend the report leads with, from the clip's speech-band sums and frame
 * levels; `thresholdDb` splits speech frames from pauses.
 */
export function snrEstimate(
  features: {
    bandRmsDb: Float32Array;
    bandRmsDbSorted: Float32Array;
    stats: { nonZero: number; bandSumAbs: number; bandSumLogAbs: number };
  },
  thresholdDb: number,
): { wada: number; vad: number; reported: number } {
  const { stats } = features;
  const wada = stats.nonZero > 0 ? fromAmplitudeStats(stats.bandSumAbs, stats.bandSumLogAbs, stats.nonZero) : NaN;
  const vad = vadSnr(features.bandRmsDb, features.bandRmsDbSorted, thresholdDb);
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
