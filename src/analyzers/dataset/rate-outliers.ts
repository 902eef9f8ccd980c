import { z } from 'zod';
import { speakerOutliers } from './speaker-outliers.js';
import { defineDatasetAnalyzer } from '../types.js';

const config = z
  .strictObject({
    maxRobustZ: z
      .number()
      .positive()
      .default(3.5)
      .describe(
        '|modified z| (median/MAD, Iglewicz–Hoaglin) above this marks a speaking-rate outlier within its speaker.',
      ),
    minClipsPerSpeaker: z
      .number()
      .int()
      .min(3)
      .default(8)
      .describe('Speakers with fewer clips have no stable median; they are not scored.'),
  })
  .prefault({});

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
      finish() {
        const { clipFindings, perSpeaker, scored } = outliers.finish();
        const named = Object.fromEntries(
          Object.entries(perSpeaker).map(([s, g]) => [s, { clips: g.clips, medianCharsPerSec: g.median }]),
        );
        return { summary: { speakersScored: scored, outliers: clipFindings.length, perSpeaker: named }, clipFindings };
      },
    };
  },
});
