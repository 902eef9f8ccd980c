import type { FindingSpec } from './types.js';

// What one clip may cost. A dataset from a stranger can hold a 2-hour recording, a header that declares
// 4 GHz, or a 1 MB transcript; each of these would otherwise set the memory or the time of a whole run.
// Every bound is generous for speech corpora (LibriTTS and MLS clips last seconds to tens of seconds) and becomes a
// `limits.*` finding on the clip that exceeds it, never an exception.

export const DEFAULT_LIMITS = {
  /** Below this no speech band is left to analyse (a 10 ms frame holds under 10 samples); telephone speech is 8 kHz. */
  minSampleRateHz: 1000,
  /** Above this a header is lying or the recording is not speech; 384 kHz is the highest rate audio interfaces record. */
  maxSampleRateHz: 384000,
  /** Multichannel arrays reach 64; more is a corrupt header, and each channel is decoded before the downmix. */
  maxChannels: 64,
  /**
   * Clips (or whole files cut by a segments manifest) longer than this are refused before their samples are
   * held: 20 min of 48 kHz mono float is 230 MB, and every worker holds one clip at a time.
   */
  maxDurationSec: 1200,
  /** Files larger than this are not read: an audio file of this size holds hours, not a training clip. */
  maxFileMB: 512,
  /** Transcripts longer than this are not analysed (espeak-ng and the recognizers never see them). */
  maxTranscriptChars: 4000,
  /**
   * A manifest line (metadata.csv, transcripts.txt, *.trans.tsv, NeMo JSONL, CSV/TSV) longer than this is skipped
   * unbuffered: real lines hold one clip's transcript, and a file with no newline would otherwise be read whole.
   */
  maxManifestLineKB: 1024,
} as const;

/** The limits a run uses: `limits` of the config (its schema is config/limits-schema.ts), defaults filled in. */
export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export const limitFindings: Record<string, FindingSpec> = {
  'limits.sample_rate': {
    severity: 'error',
    description: 'the declared sample rate is outside limits.min/maxSampleRateHz',
  },
  'limits.channels': { severity: 'error', description: 'the file declares more channels than limits.maxChannels' },
  'limits.duration': {
    severity: 'error',
    description: 'the clip (or the file its segment is cut from) is longer than limits.maxDurationSec; not decoded',
  },
  'limits.file_size': { severity: 'error', description: 'the audio file is larger than limits.maxFileMB; not read' },
  'limits.transcript': {
    severity: 'error',
    description: 'the transcript is longer than limits.maxTranscriptChars; the clip is not analysed',
  },
};

export type LimitCode = 'limits.sample_rate' | 'limits.channels' | 'limits.duration' | 'limits.file_size';

/** What a header or a decoder declares, checked before the samples it promises are held. */
export interface DeclaredFormat {
  sampleRate: number;
  channels: number;
  /** Sample frames, when known. */
  frames?: number;
}

/** The first limit `declared` breaks, as a code and a sentence; undefined when it is within all of them. */
export function exceededLimit(
  limits: Limits,
  { sampleRate, channels, frames }: DeclaredFormat,
): { code: LimitCode; reason: string } | undefined {
  if (!(sampleRate >= limits.minSampleRateHz && sampleRate <= limits.maxSampleRateHz))
    return {
      code: 'limits.sample_rate',
      reason: `declares ${sampleRate} Hz, outside the ${limits.minSampleRateHz}–${limits.maxSampleRateHz} Hz analysed (limits.minSampleRateHz / maxSampleRateHz)`,
    };
  if (channels > limits.maxChannels)
    return {
      code: 'limits.channels',
      reason: `declares ${channels} channels, more than limits.maxChannels (${limits.maxChannels})`,
    };
  if (frames !== undefined && frames / sampleRate > limits.maxDurationSec)
    return {
      code: 'limits.duration',
      reason: `holds ${(frames / sampleRate).toFixed(1)} s of audio, longer than limits.maxDurationSec (${limits.maxDurationSec} s); not decoded`,
    };
  return undefined;
}
