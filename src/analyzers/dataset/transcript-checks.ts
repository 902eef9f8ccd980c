// Which transcript check each clip got (the recognizer with the DTW, the DTW alone, the recognizer alone, none),
// and, over the clips the recognizer also decoded freely (a seeded sample: `recognizer.decodeShare`), the share
// whose transcript does not fit, with a 95 % Wilson interval: a dataset-level transcript-error rate.

import { z } from 'zod';
import { wilsonInterval } from '../../util/stats.js';
import { defineDatasetAnalyzer } from '../types.js';

const config = z
  .strictObject({
    z: z.number().positive().default(1.96).describe('Normal quantile of the interval (1.96: 95 %).'),
    listed: z
      .number()
      .int()
      .min(0)
      .default(20)
      .describe('Decoded clips named in the summary, mismatched and highest WER first (the reports show them).'),
  })
  .prefault({});

const count = z.number().int();
const summary = z.object({
  clips: z
    .object({
      recognizerAndDtw: count.describe('English clips checked by pocketsphinx and the espeak-ng DTW, combined'),
      dtwOnly: count.describe('clips checked by the espeak-ng DTW alone (other languages, or no pocketsphinx)'),
      recognizerOnly: count.describe('clips pocketsphinx heard but espeak-ng could not read'),
      none: count.describe('clips no transcript check reached'),
    })
    .describe('which check each analysed clip got'),
  decodedSample: z
    .object({
      clips: count.describe('clips pocketsphinx also decoded freely (the seeded sample)'),
      mismatched: count.describe('of those, clips with `alignment.mismatch`'),
      rate: z.number().describe('mismatched / clips'),
      low: z.number().describe('lower end of the interval'),
      high: z.number().describe('upper end of the interval'),
      z: z.number().describe('normal quantile of the interval (1.96: 95 %)'),
      medianWer: z.number().describe('median free-decoding word error rate (pocketsphinx; ~0.5 on true pairs)'),
      worst: z
        .array(
          z.object({
            id: z.string(),
            wer: z.number(),
            probability: z.number().optional().describe('`alignment.fit_probability`'),
            mismatch: z.boolean(),
          }),
        )
        .describe('decoded clips, mismatched and highest WER first, at most `listed`'),
    })
    .optional()
    .describe('transcript-error rate estimated on the decoded sample, with a Wilson interval'),
  note: z.string().optional().describe('why a check did not run'),
});

export const transcriptChecks = defineDatasetAnalyzer({
  name: 'transcriptChecks',
  description:
    'Which transcript check each clip got (recognizer, espeak-ng DTW, both, none) and the transcript-error rate on the recognizer’s decoded sample, with a 95 % interval.',
  config,
  findings: {},
  summary,
  create(c) {
    const clips = { recognizerAndDtw: 0, dtwOnly: 0, recognizerOnly: 0, none: 0 };
    const wers: number[] = [];
    let mismatched = 0;
    // The worst `listed` decoded clips so far: a few, however large the sample.
    let worst: { id: string; wer: number; probability?: number; mismatch: boolean }[] = [];
    const rank = (a: (typeof worst)[number], b: (typeof worst)[number]) =>
      Number(b.mismatch) - Number(a.mismatch) || b.wer - a.wer || (a.id < b.id ? -1 : 1);
    return {
      add(clip) {
        const heard = clip.metrics['alignment.asr_skipped'] !== undefined;
        const dtw = clip.metrics['alignment.score'] !== undefined;
        clips[heard ? (dtw ? 'recognizerAndDtw' : 'recognizerOnly') : dtw ? 'dtwOnly' : 'none'] += 1;
        const wer = clip.metrics['alignment.asr_wer'];
        if (wer === undefined) return;
        wers.push(wer);
        const mismatch = clip.findings.some((f) => f.code === 'alignment.mismatch');
        if (mismatch) mismatched += 1;
        const probability = clip.metrics['alignment.fit_probability'];
        worst.push({ id: clip.id, wer, ...(probability === undefined ? {} : { probability }), mismatch });
        if (worst.length > 2 * c.listed + 8) worst = worst.sort(rank).slice(0, c.listed);
      },
      finish() {
        const n = wers.length;
        const { low, high } = wilsonInterval(mismatched, n, Infinity, c.z);
        wers.sort((a, b) => a - b);
        const decodedSample = n
          ? {
              clips: n,
              mismatched,
              rate: mismatched / n,
              low,
              high,
              z: c.z,
              medianWer: wers[Math.floor((n - 1) / 2)],
              worst: worst.sort(rank).slice(0, c.listed),
            }
          : undefined;
        const checked = clips.recognizerAndDtw + clips.recognizerOnly + clips.dtwOnly;
        const note =
          checked > 0 && clips.recognizerAndDtw + clips.recognizerOnly === 0
            ? 'no clip was heard by pocketsphinx (not installed — Debian `pocketsphinx` and `pocketsphinx-en-us`, or `TTS_AUDIT_POCKETSPHINX` — or no English clip): transcripts were checked by the espeak-ng DTW alone.'
            : undefined;
        return { summary: { clips, decodedSample, ...(note ? { note } : {}) }, clipFindings: [] };
      },
    };
  },
});
