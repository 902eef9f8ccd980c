import { z } from 'zod';

export const noiseConfig = z
  .strictObject({
    minSnrDb: z
      .number()
      .default(15)
      .describe(
        'SNR below this is audible noise that a TTS model learns to reproduce (clean read speech scores 25–60 dB). Measured above 100 Hz: rumble is `maxRumbleDb`’s.',
      ),
    floorFraction: z
      .number()
      .gt(0)
      .max(0.5)
      .default(0.1)
      .describe('The noise floor is the mean speech-band power of this share of the quietest frames.'),
    maxNoiseFloorDbfs: z
      .number()
      .default(-40)
      .describe(
        'A floor above this is room noise or hum audible between words (LJSpeech clips sit at −46 to −58 dBFS).',
      ),
    maxRumbleDb: z
      .number()
      .default(-40)
      .describe(
        'Power below 100 Hz in the pauses, relative to the speech level, above which the clip has rumble (traffic, air handling, a desk): kept, with a high-pass suggested. −40 dB is the `relativeDb` at which whole-band silence detection took rumble for speech; LJSpeech sits at −41 to −65 dB, VCTK at −20 to −36 dB.',
      ),
    highPassHz: z
      .number()
      .positive()
      .default(80)
      .describe('The high-pass a rumble finding suggests (Hz): below the lowest voices’ fundamental.'),
    minHumProminenceDb: z
      .number()
      .positive()
      .default(12)
      .describe('A 50/60 Hz line or harmonic must stand this far over its ±30 Hz neighbourhood to be hum.'),
    maxHumDb: z
      .number()
      .default(-55)
      .describe('Hum lines together louder than this relative to the speech level are a finding (dB).'),
    minPauseFrames: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe(
        'With fewer pause frames than this, the quietest `floorFraction` of frames stand in for the pauses when rumble is measured.',
      ),
  })
  .prefault({});

export type NoiseConfig = z.output<typeof noiseConfig>;
