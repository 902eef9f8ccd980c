import { z } from 'zod';

export const voiceConfig = z
  .strictObject({
    minPauseSec: z
      .number()
      .positive()
      .default(0.25)
      .describe('A pause at least this long (s) ends a speech segment; the first and last segments are compared.'),
    minVoicedSec: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Each end compared holds at least this much voiced speech (s), whole segments added until it does; a clip too short for two such ends is not judged.',
      ),
    timbreScale: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Cepstral distance between the two ends counted as one unit of change (an effect size: the difference of their means over the spread within each).',
      ),
    semitoneScale: z
      .number()
      .positive()
      .default(4)
      .describe(
        'F0 shift between the two ends counted as one unit of change (semitones; the real samples’ first and last segments differed by up to 4.4).',
      ),
    maxChange: z
      .number()
      .positive()
      .default(1.8)
      .describe(
        'Change score √((timbre/timbreScale)² + (semitones/semitoneScale)²) above this marks a second voice (two clips of one real speaker spliced scored at most 1.72 over 132 such splices; splices of two real speakers scored above 1.8 in 33 % of same-gender and 67 % of cross-gender pairs (the rest mostly too short to judge): scripts/bench-voices.ts).',
      ),
  })
  .prefault({});

export type VoiceConfig = z.output<typeof voiceConfig>;
