import { z } from 'zod';

export const bandwidthConfig = z
  .strictObject({
    thresholdDb: z
      .number()
      .positive()
      .default(50)
      .describe(
        "The highest frequency whose long-term power is within this many dB of the spectrum's peak is the effective bandwidth (NeMo SDP / Speech Data Explorer use 50).",
      ),
    minRatio: z
      .number()
      .gt(0)
      .max(1)
      .default(0.8)
      .describe(
        'Effective bandwidth below this share of Nyquist, above an empty band, means upsampled audio. 16 kHz content scores 0.70 at 22.05 kHz, 0.64 at 24 kHz, 0.32 at 48 kHz; LJSpeech clips, whose content stops at 10.5–10.8 kHz, 0.95–0.98. 22.05 → 24 kHz (0.87) passes: it loses only the top 1.5 kHz.',
      ),
    minDropDb: z
      .number()
      .min(0)
      .default(20)
      .describe(
        'How far (mean dB) the band above the cutoff must lie under the threshold level to count as empty. Resampler stopbands measured 30–44 dB; natural roll-off (microphone, room, a dark voice: VCTK clips score ratios down to 0.53) 4–10 dB, and is no upsampling.',
      ),
  })
  .prefault({});

export type BandwidthConfig = z.output<typeof bandwidthConfig>;
