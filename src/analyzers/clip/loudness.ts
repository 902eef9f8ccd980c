import { z } from 'zod';
import { gatedLoudness } from '../../dsp/loudness.js';
import { toDbtp } from '../../dsp/true-peak.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

const config = z
  .strictObject({
    minLufs: z
      .number()
      .default(-35)
      .describe(
        'Integrated loudness below this is a badly gained recording. The real corpus samples read −17 to −30 LUFS (LJSpeech −19 to −22, VCTK −17 to −27, LibriTTS −19 to −28, MLS −29); 5 LU under the quietest is no style choice, and normalising such a clip lifts its noise floor as much.',
      ),
    maxLufs: z
      .number()
      .default(-10)
      .describe(
        'Speech this loud has been limited, compressed hard or clipped: the loudest real sample reads −17 LUFS, and a model trained on squashed dynamics reproduces them.',
      ),
    maxTruePeakDbtp: z
      .number()
      .default(-0.5)
      .describe(
        'A true peak above this leaves no headroom: resampling reconstructs the inter-sample peaks and lossy codecs overshoot by a few tenths of a dB, so the clip clips downstream. Peak-normalised sources (VCTK p225, LJ001-0003) cross it.',
      ),
  })
  .prefault({});

export const loudness = defineClipAnalyzer({
  name: 'loudness',
  description: 'ITU-R BS.1770-4 integrated loudness (K-weighted, gated) and 4× oversampled true peak.',
  config,
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
