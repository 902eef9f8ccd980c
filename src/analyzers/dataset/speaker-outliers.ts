import { z } from 'zod';
import type { ClipResult } from '../../types.js';
import { median, robustZ, round } from '../../util/stats.js';
import type { ClipFindingDraft } from '../types.js';

/** The config of an outlier analyzer: the same two settings for any per-speaker metric. */
export function outlierConfig(what: string, clipsWith = '') {
  return z
    .strictObject({
      maxRobustZ: z
        .number()
        .positive()
        .default(3.5)
        .describe(`|modified z| (median/MAD, Iglewicz–Hoaglin) above this marks a ${what} outlier within its speaker.`),
      minClipsPerSpeaker: z
        .number()
        .int()
        .min(3)
        .default(8)
        .describe(`Speakers with fewer clips${clipsWith} have no stable median; they are not scored.`),
    })
    .prefault({});
}

export interface SpeakerOutlierOptions {
  /** The clip metric judged, e.g. `rate.chars_per_sec`. */
  metric: string;
  /** Finding code for a clip out of its speaker's character. */
  code: string;
  /** Unit in the message, e.g. `chars/s`. */
  unit: string;
  maxRobustZ: number;
  minClipsPerSpeaker: number;
}

/**
 * Robust z-scores (median/MAD) of one metric within each speaker: a clip is judged against its own
 * speaker's pace, not the whole set's, so a fast speaker's clips are not all outliers.
 */
export function speakerOutliers(o: SpeakerOutlierOptions) {
  const bySpeaker = new Map<string, { ids: string[]; origins: ClipFindingDraft['origin'][]; values: number[] }>();
  return {
    add(clip: ClipResult): boolean {
      const v = clip.metrics[o.metric];
      if (!Number.isFinite(v)) return false;
      const key = clip.speaker ?? '(unknown)';
      const g = bySpeaker.get(key) ?? { ids: [], origins: [], values: [] };
      g.ids.push(clip.id);
      g.origins.push(clip.origin);
      g.values.push(v);
      bySpeaker.set(key, g);
      return true;
    },
    finish() {
      const clipFindings: ClipFindingDraft[] = [];
      const perSpeaker: Record<string, { clips: number; median: number }> = {};
      let scored = 0;
      for (const [speaker, g] of bySpeaker) {
        perSpeaker[speaker] = { clips: g.values.length, median: median(g.values) };
        if (g.values.length < o.minClipsPerSpeaker) continue;
        scored += 1;
        robustZ(g.values).forEach((zi, i) => {
          if (Math.abs(zi) <= o.maxRobustZ) return;
          clipFindings.push({
            code: o.code,
            clipId: g.ids[i],
            origin: g.origins[i],
            message: `${round(g.values[i], 1)} ${o.unit} is ${zi > 0 ? 'fast' : 'slow'} for speaker ${speaker} (robust z ${round(zi, 1)}, limit ${o.maxRobustZ})`,
            value: zi,
            threshold: o.maxRobustZ,
          });
        });
      }
      return { clipFindings, perSpeaker, scored };
    },
  };
}
