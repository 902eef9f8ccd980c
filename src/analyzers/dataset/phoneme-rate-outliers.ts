import { z } from 'zod';
import { outlierConfig, speakerOutliers } from './speaker-outliers.js';
import { defineDatasetAnalyzer } from '../types.js';

const config = outlierConfig('phoneme-rate', ' (with a phoneme rate)');

const summary = z.object({
  phonemizer: z
    .string()
    .nullable()
    .describe('the phonemizer that counted phonemes (`espeak-ng <version>`), or null when none ran'),
  note: z.string().optional().describe('why there is no phoneme rate, and what stands in for it'),
  clipsWithRate: z.number().int(),
  speakersScored: z.number().int(),
  outliers: z.number().int(),
  perSpeaker: z.record(z.string(), z.object({ clips: z.number().int(), medianPhonemesPerSec: z.number() })),
});

const FALLBACK = 'speaking rate is judged in characters per second instead (`rate.chars_per_sec`, `rate.outlier`)';

/** Says, once per report, why `phonemes.per_sec` is missing. */
function noteFor(phonemizer: string | null, clipsWithRate: number): string | undefined {
  if (!phonemizer)
    return `espeak-ng was not found (PATH, or the TTS_AUDIT_ESPEAK variable) or phonemes are disabled: no phoneme rate and no alignment score; ${FALLBACK}.`;
  if (clipsWithRate === 0)
    return `no clip has a phoneme rate (no language espeak-ng can read, or no speech): ${FALLBACK}.`;
  return undefined;
}

export const phonemeRateOutliers = defineDatasetAnalyzer({
  name: 'phonemeRateOutliers',
  description:
    'Phoneme-rate outliers by robust z-score within each speaker (needs espeak-ng): like `rateOutliers`, but blind to spelling.',
  config,
  findings: {
    'phonemes.outlier': {
      severity: 'warning',
      description: "phoneme rate's robust z-score within its speaker above `maxRobustZ`",
    },
  },
  summary,
  create(c, { phonemizer }) {
    const outliers = speakerOutliers({
      metric: 'phonemes.per_sec',
      code: 'phonemes.outlier',
      unit: 'phonemes/s',
      ...c,
    });
    let clipsWithRate = 0;
    return {
      add(clip) {
        if (outliers.add(clip)) clipsWithRate += 1;
      },
      close: outliers.close,
      finish() {
        const { clipFindings, outliers: count, perSpeaker: raw, scored } = outliers.finish();
        const perSpeaker = Object.fromEntries(
          Object.entries(raw).map(([s, g]) => [s, { clips: g.clips, medianPhonemesPerSec: g.median }]),
        );
        const note = noteFor(phonemizer, clipsWithRate);
        return {
          summary: {
            phonemizer,
            ...(note ? { note } : {}),
            clipsWithRate,
            speakersScored: scored,
            outliers: count,
            perSpeaker,
          },
          clipFindings,
        };
      },
    };
  },
});
