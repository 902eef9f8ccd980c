import { z } from 'zod';

export const signalConfig = z
  .strictObject({
    minDurationSec: z
      .number()
      .positive()
      .default(1)
      .describe(
        'Shorter clips carry too little context for a TTS model and are often cut-off fragments (LJSpeech: 1.11 s minimum).',
      ),
    maxDurationSec: z
      .number()
      .positive()
      .default(20)
      .describe('Longer clips inflate attention memory and batch padding; most TTS recipes cap near 15–20 s.'),
    clipLevel: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.99)
      .describe('A sample at or above this fraction of full scale counts toward a clipping run.'),
    clipMinRun: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('Consecutive samples at clip level that make one clipping event (one full-scale sample is legal).'),
    maxClippedFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.001)
      .describe('Share of samples inside clipping events above which the clip is clipped (0.1 %).'),
    maxDcOffset: z
      .number()
      .min(0)
      .default(0.01)
      .describe('|mean sample| above 1 % of full scale shows a faulty recording chain.'),
    minPeakDbfs: z
      .number()
      .default(-25)
      .describe('A peak this low means a badly gained recording whose noise is amplified when normalised.'),
    silentPeakDbfs: z.number().default(-60).describe('A clip whose peak stays below this holds no speech at all.'),
  })
  .prefault({});

export type SignalConfig = z.output<typeof signalConfig>;
