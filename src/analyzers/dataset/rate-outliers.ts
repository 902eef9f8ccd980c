import { z } from 'zod';
import { median, robustZ, round } from '../../util/stats.js';
import { defineDatasetAnalyzer, type ClipFindingDraft } from '../types.js';

const config = z
  .object({
    maxRobustZ: z.number().positive().default(3.5).describe('|modified z| (median/MAD, Iglewicz–Hoaglin) above this marks a speaking-rate outlier within its speaker.'),
    minClipsPerSpeaker: z.number().int().min(3).default(8).describe('Speakers with fewer clips have no stable median; they are not scored.'),
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
    'rate.outlier': { severity: 'warning', description: "speaking rate's robust z-score within its speaker above `maxRobustZ`" },
  },
  summary,
  create(c) {
    const bySpeaker = new Map<string, { ids: string[]; origins: ClipFindingDraft['origin'][]; rates: number[] }>();
    return {
      add(clip) {
        const r = clip.metrics['rate.chars_per_sec'];
        if (!Number.isFinite(r)) return;
        const key = clip.speaker ?? '(unknown)';
        const g = bySpeaker.get(key) ?? { ids: [], origins: [], rates: [] };
        g.ids.push(clip.id);
        g.origins.push(clip.origin);
        g.rates.push(r);
        bySpeaker.set(key, g);
      },
      finish() {
        const clipFindings: ClipFindingDraft[] = [];
        const perSpeaker: Record<string, { clips: number; medianCharsPerSec: number }> = {};
        let scored = 0;
        for (const [speaker, g] of bySpeaker) {
          perSpeaker[speaker] = { clips: g.rates.length, medianCharsPerSec: median(g.rates) };
          if (g.rates.length < c.minClipsPerSpeaker) continue;
          scored += 1;
          const z = robustZ(g.rates);
          z.forEach((zi, i) => {
            if (Math.abs(zi) <= c.maxRobustZ) return;
            clipFindings.push({
              code: 'rate.outlier',
              clipId: g.ids[i],
              origin: g.origins[i],
              message: `${round(g.rates[i], 1)} chars/s is ${zi > 0 ? 'fast' : 'slow'} for speaker ${speaker} (robust z ${round(zi, 1)}, limit ${c.maxRobustZ})`,
              value: zi,
              threshold: c.maxRobustZ,
            });
          });
        }
        return { summary: { speakersScored: scored, outliers: clipFindings.length, perSpeaker }, clipFindings };
      },
    };
  },
});
