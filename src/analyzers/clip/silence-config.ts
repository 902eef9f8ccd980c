import { z } from 'zod';
import { speechShape } from '../../features/speech-config.js';

export const silenceConfig = z
  .strictObject({
    ...speechShape,
    maxLeadingSec: z
      .number()
      .min(0)
      .default(0.5)
      .describe(
        'Leading silence longer than this teaches a model to wait before speaking; the clip is kept with a suggested trim.',
      ),
    maxTrailingSec: z
      .number()
      .min(0)
      .default(0.5)
      .describe(
        'Trailing silence longer than this blurs the end-of-utterance signal; the clip is kept with a suggested trim.',
      ),
    trimMarginSec: z
      .number()
      .min(0)
      .default(0.1)
      .describe('Silence a suggested trim leaves at each end, so onsets and decays are not cut.'),
    maxPauseSec: z
      .number()
      .min(0)
      .default(2)
      .describe('Segmenters (Emilia, NeMo SDP) split at pauses over 2 s; a TTS clip holding one is suspect.'),
    cutEdgeSec: z
      .number()
      .positive()
      .default(0.02)
      .describe('Frames centred within this of either end are the clip’s edge, where a cut-off word shows.'),
    cutWithinDb: z
      .number()
      .positive()
      .default(12)
      .describe(
        'An edge frame within this of the speech level is speech at full level: the clip starts or ends inside a word.',
      ),
  })
  .prefault({});

export type SilenceConfig = z.output<typeof silenceConfig>;
