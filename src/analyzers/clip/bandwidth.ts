import { DB_FLOOR } from '../../features/frames.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import type { BandwidthConfig } from './bandwidth-config.js';

/** Rates a dataset's audio commonly had before someone upsampled it (telephone, wideband, MP3-era, studio). */
const SOURCE_RATES = [8000, 11025, 16000, 22050, 24000, 32000, 44100];

/** The common rate nearest to twice the bandwidth, below the declared rate: the likely original. */
export function likelySourceRate(bandwidthHz: number, sampleRate: number): number | undefined {
  let best: number | undefined;
  for (const r of SOURCE_RATES) {
    if (r >= sampleRate) continue;
    if (best === undefined || Math.abs(r - 2 * bandwidthHz) < Math.abs(best - 2 * bandwidthHz)) best = r;
  }
  return best;
}

/** Bins just above the cutoff skipped when judging the band empty: a resampler's transition band. */
const GUARD_FRACTION = 0.03;

export interface BandwidthEstimate {
  /** bin·sampleRate/frameSize of the highest bin within `thresholdDb` of the peak. */
  hz: number;
  /** Mean level (dB) of the bins above the cutoff, past the guard, under the threshold level; NaN when none. */
  dropDb: number;
}

/**
 * Effective bandwidth of a long-term spectrum in dB: scanning from the top bin down, the first bin
 * within `thresholdDb` of the loudest gives bin·sampleRate/frameSize. Scanning down rather than up makes
 * a spectral hole (a notch, a band-stop) irrelevant: only where content finally stops counts.
 * Null when the spectrum is all floor (no signal).
 */
export function estimateBandwidth(
  spectrumDb: ArrayLike<number>,
  sampleRate: number,
  frameSize: number,
  thresholdDb: number,
): BandwidthEstimate | null {
  let peak = DB_FLOOR;
  for (let k = 0; k < spectrumDb.length; k++) if (spectrumDb[k] > peak) peak = spectrumDb[k];
  if (peak <= DB_FLOOR) return null;
  const level = peak - thresholdDb;
  let k = spectrumDb.length - 1;
  while (k > 0 && spectrumDb[k] < level) k--;
  // The mean of dB values, not of powers: the question is whether the band holds content anywhere,
  // and a single leaked tone must not make a whole empty band look full.
  let sum = 0;
  let n = 0;
  for (let j = k + 1 + Math.ceil(GUARD_FRACTION * spectrumDb.length); j < spectrumDb.length; j++, n++)
    sum += spectrumDb[j];
  return { hz: (k * sampleRate) / frameSize, dropDb: n > 0 ? level - sum / n : NaN };
}

export const bandwidth = defineClipAnalyzer<BandwidthConfig>({
  name: 'bandwidth',
  description: 'Effective audio bandwidth from the long-term spectrum: exposes clips upsampled from a lower rate.',
  metrics: {
    'bandwidth.effective_hz': 'highest frequency within `thresholdDb` of the long-term spectrum peak (Hz)',
    'bandwidth.ratio': 'effective bandwidth / Nyquist (0…1)',
  },
  findings: {
    'bandwidth.upsampled': {
      severity: 'error',
      description:
        'effective bandwidth below `minRatio` of Nyquist with an empty band above it: the clip was upsampled, and a model trained on it at the declared rate learns to produce muffled audio',
    },
  },
  analyze({ audio, features, config: c }): ClipAnalysis {
    const findings: FindingDraft[] = [];
    const est = estimateBandwidth(features.longTermSpectrumDb, features.sampleRate, features.frameSize, c.thresholdDb);
    // An empty or digitally silent clip has no spectrum to measure; the signal analyzer reports it.
    if (est === null) return { metrics: {}, findings };
    const { hz, dropDb } = est;
    const nyquist = features.sampleRate / 2;
    const ratio = hz / nyquist;
    // Both conditions: a low ratio alone also fits a voice or microphone whose spectrum slopes away
    // gently; upsampling leaves a cliff, with nothing above it but dither.
    if (ratio < c.minRatio && dropDb >= c.minDropDb) {
      const source = likelySourceRate(hz, audio.sampleRate);
      const guess = source === undefined ? '' : `: audio upsampled from ${round(source / 1000, 3)} kHz?`;
      findings.push({
        code: 'bandwidth.upsampled',
        message: `content stops at ${round(hz / 1000, 1)} kHz (${round(ratio * 100, 0)} % of the ${round(nyquist / 1000, 3)} kHz Nyquist, the band above averages ${round(c.thresholdDb + dropDb, 0)} dB below the peak)${guess}`,
        value: ratio,
        threshold: c.minRatio,
        metric: 'bandwidth.ratio',
      });
    }
    return { metrics: { 'bandwidth.effective_hz': hz, 'bandwidth.ratio': ratio }, findings };
  },
});
