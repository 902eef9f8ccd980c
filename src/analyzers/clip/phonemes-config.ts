import { z } from 'zod';

export const phonemesConfig = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Count phonemes with espeak-ng when the program is installed (GPL: found on PATH or `TTS_AUDIT_ESPEAK`, never bundled). Without it `phonemes.*` is absent and speaking rate is judged in characters per second (`rate`).',
      ),
    fallbackLanguage: z
      .string()
      .default('en')
      .describe(
        'Language of clips whose transcript and source name none (ISO 639-1: en, de, es, fr, it, nl, pl, pt, or any espeak-ng voice).',
      ),
  })
  .prefault({});

export type PhonemesConfig = z.output<typeof phonemesConfig>;
