import { z } from 'zod';

/** Dataset-level rules that `tts-audit check` enforces on a report. */
export const gateSchema = z
  .strictObject({
    minClipsKept: z.number().int().min(0).default(1).describe('Fail when fewer clips survive curation.'),
    minHoursKept: z.number().min(0).default(0).describe('Fail when the kept audio is shorter (hours).'),
    maxDroppedFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe(
        'Fail when more than this share of listed clips is dropped: the set needs attention, not silent pruning.',
      ),
    maxUnreadableFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.01)
      .describe('Fail when more than this share of listed clips has missing, corrupt or truncated audio.'),
    maxMalformedLines: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Fail when the manifests hold more unparsable lines.'),
    maxUnreadableFiles: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Fail when more manifests, transcript files or parquet shards (row groups) could not be read: the clips they hold are missing from every figure.',
      ),
    minSpeakers: z.number().int().min(0).default(1).describe('Fail when fewer speakers have analysed audio.'),
    minSpeakerBalance: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Fail when speaker hours are less even than this (normalized entropy, 0–1; 0 disables).'),
    minMedianSnrDb: z
      .number()
      .default(20)
      .describe('Fail when the median SNR (`noise.snr_db`) of analysed clips is lower (dB).'),
    maxFindingFraction: z
      .record(z.string(), z.number().min(0).max(1))
      .default({})
      .describe(
        'Per finding code: fail when more than this share of analysed clips carries it, e.g. {"silence.leading": 0.05}.',
      ),
  })
  .strict()
  .prefault({});

export type GateConfig = z.output<typeof gateSchema>;
