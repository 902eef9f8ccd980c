import { z } from 'zod';

// Default margins between the sexes' usual speaking F0 (adult men ≈ 85–155 Hz, women ≈ 165–255 Hz): a clip must
// be well inside the other range to contradict its label. On the real samples (test/fixtures/real) male clip
// medians reach 150 Hz (VCTK p255) and female ones go down to 166 Hz (VCTK p225): both sit ≥ 3 semitones inside
// these limits.
export const MALE_MAX_HZ = 180;
export const FEMALE_MIN_HZ = 140;

export const genderLimits = {
  maleMaxHz: z
    .number()
    .positive()
    .default(MALE_MAX_HZ)
    .describe(
      'A clip (or speaker) labelled male whose median F0 is above this sounds female (men speak ≈ 85–155 Hz; the highest real male sample here: 150 Hz).',
    ),
  femaleMinHz: z
    .number()
    .positive()
    .default(FEMALE_MIN_HZ)
    .describe(
      'A clip (or speaker) labelled female whose median F0 is below this sounds male (women speak ≈ 165–255 Hz; the lowest real female sample here: 166 Hz).',
    ),
};

export const pitchConfig = z
  .strictObject({
    ...genderLimits,
    minVoicedSec: z
      .number()
      .min(0)
      .default(0.5)
      .describe('With less voiced speech than this a clip has no reliable median F0: no gender judgement.'),
  })
  .prefault({});

export type PitchConfig = z.output<typeof pitchConfig>;
