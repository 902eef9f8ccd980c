import { z } from 'zod';
import { outlierConfig, speakerOutliers } from './speaker-outliers.js';
import { defineDatasetAnalyzer } from '../types.js';

const config = outlierConfig('speaking-rate');

const summary = z.object({
  speakersScored: z.number().int(),
  outliers: z.number().int(),
  perSpeaker: z.record(z.string(), z.object({ clips: z.number().int(), medianCharsPerSec: z.number() })),
});

export const rateOutliers = defineDatasetAnalyzer({
  name: 'rateOutliers',
  description: "Speaking-rate outliers by robust z-score within each speaker: a clip far from its speaker's own pace.",
  config,
  findings: {
    'rate.outlier': {
      severity: 'warning',
      description: "speaking rate's robust z-score within its speaker above `maxRobustZ`",
    },
  },
  summary,
  create(c) {
    const outliers = speakerOutliers({ metric: 'rate.chars_per_sec', code: 'rate.outlier', unit: 'chars/s', ...c });
    return {
      add: (clip) => void outliers.add(clip),
      close: outliers.close,
      finish() {
        const { clipFindings, outliers: count, perSpeaker, scored } = outliers.finish();
        const named = Object.fromEntries(
          Object.entries(perSpeaker).map(([s, g]) => [s, { clips: g.clips, medianCharsPerSec: g.median }]),
        );
        return { summary: { speakersScored: scored, outliers: count, perSpeaker: named }, clipFindings };
      },
    };
  },
});
