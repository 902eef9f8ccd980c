import { z } from 'zod';
import { quantile } from '../util/stats.js';
import { recordedLevels, type FrameFeatures } from './frames.js';

// Where a clip's speech is: computed once per clip, before any analyzer, from the frame levels. The silence
// analyzer reports it; rate, noise, phonemes and alignment measure over it. Its settings live in the silence
// analyzer's config section (`analyzers.silence`), since that is where a user looks for them.

export const speechShape = {
  speechPercentile: z
    .number()
    .min(50)
    .max(100)
    .default(95)
    .describe("Frame-RMS percentile taken as the clip's speech level."),
  relativeDb: z
    .number()
    .positive()
    .default(40)
    .describe(
      'Frames more than this below the speech level are silence (librosa trims at 60, Coqui at 45; 40 keeps soft word endings while catching room tone).',
    ),
  floorPercentile: z.number().min(0).max(50).default(10).describe('Frame-RMS percentile taken as the noise floor.'),
  noiseMarginDb: z
    .number()
    .min(0)
    .default(6)
    .describe('Speech must also be this far above the noise floor, so a noisy clip is not all speech.'),
  minSpeechFrames: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('A burst shorter than this many 10 ms frames (a click) does not start or end speech.'),
  thresholdDbfs: z
    .number()
    .max(0)
    .optional()
    .describe(
      'A fixed threshold (dBFS) on each 10 ms block’s sample peak instead of the relative RMS one: the criterion of `ffmpeg silencedetect=n=…dB`.',
    ),
};

export interface SpeechConfig {
  speechPercentile: number;
  relativeDb: number;
  floorPercentile: number;
  noiseMarginDb: number;
  minSpeechFrames: number;
  thresholdDbfs?: number;
}

/** The speech of one clip, as every analyzer that measures over speech sees it. */
export interface SpeechSpan {
  /** 1 for a speech frame, 0 for silence, per feature frame. */
  isSpeech: Uint8Array;
  /** Level (dBFS) between silence and speech. */
  threshold: number;
  /** The clip's speech level: frame-RMS percentile `speechPercentile` (dBFS). */
  speechLevel: number;
  /** False when no run of `minSpeechFrames` speech frames exists; the spans below then cover nothing. */
  found: boolean;
  leadingSec: number;
  trailingSec: number;
  /** From the first to the last speech frame (s). */
  speechSec: number;
  longestPauseSec: number;
}

/**
 * Speech/silence frames of a clip: frame energy against the clip's own speech level and noise floor,
 * or, with a fixed `thresholdDbfs`, each block's sample peak against it (as silencedetect does).
 */
export function speechFrames(
  features: Pick<FrameFeatures, 'rmsDb' | 'rmsDbSorted' | 'peakDb'>,
  c: SpeechConfig,
): { isSpeech: Uint8Array; threshold: number; speechLevel: number } {
  const levels = recordedLevels(features.rmsDbSorted);
  const speechLevel = quantile(levels, c.speechPercentile);
  const floor = quantile(levels, c.floorPercentile);
  const fixed = c.thresholdDbfs !== undefined;
  const threshold = c.thresholdDbfs ?? Math.max(speechLevel - c.relativeDb, floor + c.noiseMarginDb);
  const level = fixed ? features.peakDb : features.rmsDb;
  const isSpeech = new Uint8Array(level.length);
  for (let i = 0; i < level.length; i++) isSpeech[i] = level[i] >= threshold ? 1 : 0;
  return { isSpeech, threshold, speechLevel };
}

/** First index at which `run` consecutive speech frames start, scanning from the start or the end. */
function firstRun(isSpeech: Uint8Array, run: number, fromEnd: boolean): number {
  const n = isSpeech.length;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = fromEnd ? n - 1 - k : k;
    count = isSpeech[i] ? count + 1 : 0;
    if (count >= run) return fromEnd ? i + run - 1 : i - run + 1;
  }
  return -1;
}

/** Where the speech of a clip starts and ends; a burst shorter than `minSpeechFrames` neither starts nor ends it. */
export function findSpeech(
  features: Pick<FrameFeatures, 'rmsDb' | 'rmsDbSorted' | 'peakDb' | 'hopSec'>,
  durationSec: number,
  c: SpeechConfig,
): SpeechSpan {
  const { isSpeech, threshold, speechLevel } = speechFrames(features, c);
  const first = firstRun(isSpeech, c.minSpeechFrames, false);
  if (first < 0) {
    const none = { leadingSec: durationSec, trailingSec: durationSec, speechSec: 0, longestPauseSec: 0 };
    return { isSpeech, threshold, speechLevel, found: false, ...none };
  }
  const hop = features.hopSec;
  const last = firstRun(isSpeech, c.minSpeechFrames, true);
  let longestPause = 0;
  let gap = 0;
  for (let i = first; i <= last; i++) {
    gap = isSpeech[i] ? 0 : gap + 1;
    if (gap > longestPause) longestPause = gap;
  }
  const leadingSec = Math.min(durationSec, first * hop);
  const trailingSec = Math.max(0, durationSec - (last + 1) * hop);
  return {
    isSpeech,
    threshold,
    speechLevel,
    found: true,
    leadingSec,
    trailingSec,
    speechSec: Math.max(0, durationSec - leadingSec - trailingSec),
    longestPauseSec: longestPause * hop,
  };
}

/** Silent stretches of at least `minSec` (start and end in seconds), as ffmpeg silencedetect lists them. */
export function silenceSegments(
  isSpeech: Uint8Array,
  hopSec: number,
  durationSec: number,
  minSec: number,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= isSpeech.length; i++) {
    const silent = i < isSpeech.length && !isSpeech[i];
    if (silent && start < 0) start = i;
    if (!silent && start >= 0) {
      const seg = { start: start * hopSec, end: Math.min(durationSec, i * hopSec) };
      if (seg.end - seg.start >= minSec) out.push(seg);
      start = -1;
    }
  }
  return out;
}
