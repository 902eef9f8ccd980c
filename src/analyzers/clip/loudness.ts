import { gatedLoudness } from '../../dsp/loudness.js';
import { toDbtp } from '../../dsp/true-peak.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';
import type { LoudnessConfig } from './loudness-config.js';

export const loudness = defineClipAnalyzer<LoudnessConfig>({
  name: 'loudness',
  description: 'ITU-R BS.1770-4 integrated loudness (K-weighted, gated) and 4× oversampled true peak.',
  metrics: {
    'loudness.integrated_lufs':
      'BS.1770-4 gated integrated loudness (LUFS; absent when the clip is shorter than 0.4 s or below −70 LUFS throughout)',
    'loudness.true_peak_dbtp': 'true peak, 4× oversampled (dBTP)',
  },
  findings: {
    'loudness.too_quiet': { severity: 'warning', description: 'integrated loudness below `minLufs`' },
    'loudness.too_loud': { severity: 'warning', description: 'integrated loudness above `maxLufs`' },
    'loudness.true_peak_over': {
      severity: 'warning',
      description: 'true peak above `maxTruePeakDbtp`: inter-sample clipping after resampling or encoding',
    },
  },
  analyze({ features, config: c }) {
    // The clip's one pass summed the K-weighted hops and interpolated around the samples within reach of the true peak.
    const { integratedLufs } = gatedLoudness(features.loudnessHops);
    const tp = features.stats.truePeak;
    const tpDb = tp > 0 ? Math.max(-120, toDbtp(tp)) : -120;
    const metrics: Record<string, number> = { 'loudness.true_peak_dbtp': tpDb };
    const findings: FindingDraft[] = [];
    if (integratedLufs !== null) {
      metrics['loudness.integrated_lufs'] = integratedLufs;
      const lufs = round(integratedLufs, 1);
      if (integratedLufs < c.minLufs) {
        findings.push({
          code: 'loudness.too_quiet',
          message: `integrated loudness ${lufs} LUFS, below ${c.minLufs} LUFS`,
          value: integratedLufs,
          threshold: c.minLufs,
          unit: 'LUFS',
          metric: 'loudness.integrated_lufs',
        });
      }
      if (integratedLufs > c.maxLufs) {
        findings.push({
          code: 'loudness.too_loud',
          message: `integrated loudness ${lufs} LUFS, above ${c.maxLufs} LUFS`,
          value: integratedLufs,
          threshold: c.maxLufs,
          unit: 'LUFS',
          metric: 'loudness.integrated_lufs',
        });
      }
    }
    if (tpDb > c.maxTruePeakDbtp) {
      const why =
        tpDb > 0
          ? 'the waveform passes full scale between samples and clips once resampled or written as integer PCM'
          : 'a resampler or lossy encoder may push it past full scale';
      findings.push({
        code: 'loudness.true_peak_over',
        message: `true peak ${round(tpDb, 2)} dBTP, above ${c.maxTruePeakDbtp} dBTP: ${why}`,
        value: tpDb,
        threshold: c.maxTruePeakDbtp,
        unit: 'dBTP',
        metric: 'loudness.true_peak_dbtp',
      });
    }
    return { metrics, findings };
  },
});
