import { z } from 'zod';
import { DEFAULT_LIMITS } from '../limits.js';

// The schema of `limits` in the config; the limits themselves and their checks are in limits.ts, which the clip
// workers load without zod. The parsed section goes to the decoders as a `Limits`, so the compiler holds the two
// to the same fields.

const positive = (value: number, why: string) => z.number().positive().default(value).describe(why);

export const limitsSchema = z
  .strictObject({
    minSampleRateHz: positive(
      DEFAULT_LIMITS.minSampleRateHz,
      'Lowest declared sample rate analysed (Hz): below 1 kHz no speech band is left (a 10 ms frame holds under 10 samples).',
    ),
    maxSampleRateHz: positive(
      DEFAULT_LIMITS.maxSampleRateHz,
      'Highest declared sample rate analysed (Hz): 384 kHz is the most an audio interface records; more is a lying header.',
    ),
    maxChannels: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_LIMITS.maxChannels)
      .describe('Most channels decoded: arrays reach 64, more is a corrupt header.'),
    maxDurationSec: positive(
      DEFAULT_LIMITS.maxDurationSec,
      'Longest clip, or file cut into segments, decoded (s), refused before its samples are held: 20 min of 48 kHz mono is 230 MB a worker; TTS clips last seconds.',
    ),
    maxFileMB: positive(
      DEFAULT_LIMITS.maxFileMB,
      'Largest audio file read (MiB): a file this size holds hours, not a clip.',
    ),
    maxTranscriptChars: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_LIMITS.maxTranscriptChars)
      .describe('Longest transcript analysed (characters): 4,000 characters take minutes to read aloud.'),
    maxManifestLineKB: positive(
      DEFAULT_LIMITS.maxManifestLineKB,
      'Longest manifest line read (KiB: metadata.csv, transcripts.txt, *.trans.tsv, NeMo JSONL, CSV/TSV); a longer one is skipped unbuffered with a source.malformed_line finding.',
    ),
  })
  .describe('What one clip may cost; a clip beyond a limit gets a limits.* finding and is not analysed.');
