import { z } from 'zod';
import { defineDatasetAnalyzer } from '../types.js';

const summary = z.object({
  clips: z.number().int().describe('clips whose audio was analysed'),
  hours: z.number().describe('hours of audio analysed'),
  speakers: z.number().int(),
  meanClipSec: z.number().nullable(),
});

export const totals = defineDatasetAnalyzer({
  name: 'totals',
  description: 'Clips, hours and speakers of the analysed audio.',
  config: z.strictObject({}).prefault({}),
  findings: {},
  summary,
  create() {
    let clips = 0;
    let seconds = 0;
    const speakers = new Set<string>();
    return {
      add(clip) {
        clips += 1;
        seconds += clip.metrics['signal.duration_sec'] ?? 0;
        speakers.add(clip.speaker ?? '(unknown)');
      },
      finish() {
        return {
          summary: {
            clips,
            hours: seconds / 3600,
            speakers: speakers.size,
            meanClipSec: clips > 0 ? seconds / clips : null,
          },
          clipFindings: [],
        };
      },
    };
  },
});
