import { z } from 'zod';
import { genderLimits } from '../clip/pitch-config.js';

// The voices analyzer's settings and summary (voices.ts): the thresholds, each with why it is where it is.

export const voicesConfig = z
  .strictObject({
    ...genderLimits,
    minClipsPerSpeaker: z
      .number()
      .int()
      .min(3)
      .default(5)
      .describe(
        "Speakers with fewer clips are not compared clip by clip: too few to tell a stranger from the speaker's own range (the report lists them).",
      ),
    fullClipsPerSpeaker: z
      .number()
      .int()
      .min(3)
      .default(8)
      .describe(
        "From this many clips a speaker's centre and spread are taken over all its clips (limit `maxDistance`); below it each clip is judged against its speaker's other clips (limit `maxDistanceSmall`).",
      ),
    maxDistance: z
      .number()
      .positive()
      .default(1.8)
      .describe(
        "A clip whose voice signature lies further than this from its speaker's centre (RMS of robust z over F0 median and spread and 12 cepstral means; ≈ 1 for a speaker's own clips: at most 1.16 over 19 LJSpeech pieces) sounds unlike the speaker.",
      ),
    maxDistanceSmall: z
      .number()
      .positive()
      .default(3.5)
      .describe(
        "The same limit for speakers under `fullClipsPerSpeaker` clips, on the distance from the speaker's other clips: wider, as five clips pin a centre loosely (every 5- and 6-clip subset of LJSpeech's 7 real clips stayed under 3.45; another real speaker filed among 4–6 of them was flagged in 75–87 % of cases: scripts/bench-voices.ts).",
      ),
    minSpreadSmall: z
      .number()
      .positive()
      .default(0.5)
      .describe('Floor of a signature figure’s spread for speakers under `fullClipsPerSpeaker` clips.'),
    minSpread: z
      .number()
      .positive()
      .default(0.1)
      .describe('Floor of a signature figure’s spread (1.4826·MAD), so a figure that barely varies cannot dominate.'),
    minGroupGapSemitones: z
      .number()
      .positive()
      .default(6)
      .describe(
        'Two pitch groups within a speaker whose medians lie this far apart (semitones; men and women ≈ 9 apart) are two voices under one id.',
      ),
    minGroupShare: z
      .number()
      .gt(0)
      .max(0.5)
      .default(0.1)
      .describe('The smaller pitch group must hold at least this share of the speaker’s clips (and two).'),
    exactUpTo: z
      .number()
      .int()
      .min(1000)
      .default(100_000)
      .describe(
        "Clips of one speaker up to which its pitch, pitch groups and signature centre and spread are computed over every clip; a larger speaker's come from a seeded random sample of this many of its clips, and every clip is still judged against them. Also the distances kept exactly for the percentiles in the messages (beyond, a DDSketch). Keeps the end of a run in flat memory when one speaker has millions of clips.",
      ),
  })
  .prefault({});

export type VoicesConfig = z.output<typeof voicesConfig>;

const speakerSummary = z.object({
  clips: z.number().int(),
  gender: z.string().optional(),
  medianHz: z.number().describe('median of the clips’ median F0 (Hz)'),
  lowHz: z.number().describe('median of the clips’ 5th-percentile F0 (Hz)'),
  highHz: z.number().describe('median of the clips’ 95th-percentile F0 (Hz)'),
  comparison: z
    .enum(['all clips', 'leave one out', 'too few clips'])
    .describe(
      'how its clips were compared with each other: against the centre of all of them, each against the others (under `fullClipsPerSpeaker`), or not (under `minClipsPerSpeaker`)',
    ),
  flaggedClips: z
    .number()
    .int()
    .describe('clips with any voice finding (this analyzer’s or pitch/voice clip findings)'),
  issues: z.array(z.string()).describe('speaker-level findings, in words'),
});

export const voicesSummary = z.object({
  speakersScored: z.number().int().describe(`speakers with enough clips to compare their clips with each other`),
  speakersTooSmall: z
    .number()
    .int()
    .describe(
      'speakers with pitch but under `minClipsPerSpeaker` clips: their clips were not compared with each other',
    ),
  clipsWithPitch: z.number().int(),
  hoursAffected: z.number().describe('hours of clips with any voice finding'),
  shareOfHoursAffected: z.number().describe('hoursAffected over the hours of clips with a pitch (0–1)'),
  perSpeaker: z.record(z.string(), speakerSummary),
});

export type VoicesSummary = z.output<typeof voicesSummary>;
