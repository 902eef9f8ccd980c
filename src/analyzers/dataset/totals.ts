import { z } from 'zod';
import { defineDatasetAnalyzer } from '../types.js';

const group = z.object({ clips: z.number().int(), hours: z.number() });
const summary = z.object({
  clips: z.number().int().describe('clips whose audio was analysed'),
  hours: z.number().describe('hours of audio analysed'),
  speakers: z.number().int(),
  perSpeaker: z.record(z.string(), group).describe('clips and hours per speaker id'),
});

export const totals = defineDatasetAnalyzer({
  name: 'totals',
  description: 'Clips, hours and per-speaker hours of the analysed audio.',
  config: z.object({}).prefault({}),
  findings: {},
  summary,
  create() {
    let clips = 0;
    let seconds = 0;
    const perSpeaker = new Map<string, { clips: number; seconds: number }>();
    return {
      add(clip) {
        const d = clip.metrics['signal.duration_sec'] ?? 0;
        clips += 1;
        seconds += d;
        const key = clip.speaker ?? '(unknown)';
        const g = perSpeaker.get(key) ?? { clips: 0, seconds: 0 };
        g.clips += 1;
        g.seconds += d;
        perSpeaker.set(key, g);
      },
      finish() {
        const per = Object.fromEntries([...perSpeaker].sort((a, b) => b[1].seconds - a[1].seconds).map(([k, g]) => [k, { clips: g.clips, hours: g.seconds / 3600 }]));
        return { summary: { clips, hours: seconds / 3600, speakers: perSpeaker.size, perSpeaker: per }, clipFindings: [] };
      },
    };
  },
});
