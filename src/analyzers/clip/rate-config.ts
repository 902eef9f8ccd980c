import { z } from 'zod';

export const rateConfig = z
  .strictObject({
    minCharsPerSec: z
      .number()
      .min(0)
      .default(6)
      .describe(
        'Slower than this the transcript is missing words the audio holds, or the audio is mostly not speech (read speech runs 10–20 chars/s).',
      ),
    maxCharsPerSec: z
      .number()
      .positive()
      .default(28)
      .describe(
        'Faster than this the transcript holds words the audio does not: a wrong or swapped transcript, or truncated audio.',
      ),
  })
  .prefault({});

export type RateConfig = z.output<typeof rateConfig>;
