import type { SpeechConfig } from './speech-config.js';
import { quantile } from '../util/stats.js';
import { recordedLevels, type FrameFeatures } from './frames.js';
import { extendTail, speechActivity } from './speech-activity.js';
import { spectralActivityLevels } from './speech-spectrum.js';

// Where a clip's speech is: computed once per clip, before any analyzer, from the frame levels of the speech band
// (rumble below 100 Hz says nothing about speech). The silence analyzer reports it; rate, noise, phonemes and
// alignment measure over it. Its settings live in the silence analyzer's config section (`analyzers.silence`),
// since that is where a user looks for them.

export type { SpeechConfig };

/** Which method decided where the speech is. */
export type SpeechMethod = 'energy' | 'threshold' | 'silero';

/** The speech of one clip, as every analyzer that measures over speech sees it. */
export interface SpeechSpan {
  /** 1 for a speech frame, 0 for silence, per feature frame. */
  isSpeech: Uint8Array;
  /** Level (dBFS) between silence and speech: the fixed one, or the lower threshold over the overall floor. */
  threshold: number;
  /** The clip's speech level: speech-band frame-RMS percentile `speechPercentile` (dBFS). */
  speechLevel: number;
  /** Overall noise floor: speech-band frame-RMS percentile `floorPercentile` (dBFS). */
  floor: number;
  method: SpeechMethod;
  /** Speech stands less than `unsureBelowDb` over the floor: energy alone may misplace its edges. */
  unsure: boolean;
  /** False when no run of `minSpeechFrames` speech frames exists; the spans below then cover nothing. */
  found: boolean;
  leadingSec: number;
  trailingSec: number;
  /** From the first to the last speech frame (s). */
  speechSec: number;
  longestPauseSec: number;
}

type SpeechFeatures = Pick<
  FrameFeatures,
  'bandRmsDb' | 'bandRmsDbSorted' | 'peakDb' | 'hopSec' | 'melPower' | 'sampleRate' | 'spectralStride' | 'frameCount'
>;

/**
 * Speech/silence frames of a clip: speech-band frame energy against the clip's own speech level and tracked noise
 * floor, or, with a fixed `thresholdDbfs`, each block's sample peak against it (as silencedetect does).
 */
export function speechFrames(
  features: SpeechFeatures,
  c: SpeechConfig,
): { isSpeech: Uint8Array; threshold: number; speechLevel: number; floor: number } {
  const levels = recordedLevels(features.bandRmsDbSorted);
  const speechLevel = quantile(levels, c.speechPercentile);
  const floor = quantile(levels, c.floorPercentile);
  if (c.thresholdDbfs !== undefined) {
    const threshold = c.thresholdDbfs;
    const isSpeech = new Uint8Array(features.peakDb.length);
    for (let i = 0; i < isSpeech.length; i++) isSpeech[i] = features.peakDb[i] >= threshold ? 1 : 0;
    return { isSpeech, threshold, speechLevel, floor };
  }
  const frames = (sec: number) => Math.round(sec / features.hopSec);
  const spectral = c.levels === 'spectral' && features.melPower.length > 0;
  const activity = spectral ? spectralActivityLevels(features, c) : { levels: features.bandRmsDb, speechLevel };
  const { isSpeech } = speechActivity(activity.levels, {
    speechLevel: activity.speechLevel,
    noiseMarginDb: spectral ? c.spectralNoiseMarginDb : c.noiseMarginDb,
    relativeDb: c.relativeDb,
    coreDb: c.coreDb,
    coreMarginDb: spectral ? c.spectralCoreMarginDb : c.coreMarginDb,
    minCoreFrames: Math.max(1, frames(c.minCoreSec)),
    minRunFrames: c.minSpeechFrames,
    hangoverFrames: frames(c.hangoverSec),
    floorWindowFrames: Math.max(1, frames(c.floorWindowSec)),
    edgeMarginDb: c.edgeMarginDb,
    maxEdgeFrames: frames(c.maxEdgeSec),
  });
  return { isSpeech, threshold: Math.max(speechLevel - c.relativeDb, floor + c.noiseMarginDb), speechLevel, floor };
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

/**
 * Where the speech of a clip starts and ends; a burst shorter than `minSpeechFrames` neither starts nor ends it. On
 * a clip where the energy method is unsure, the end moves over a final sound the speech-band RMS lost in the noise.
 */
export function findSpeech(features: SpeechFeatures, durationSec: number, c: SpeechConfig): SpeechSpan {
  const { isSpeech, threshold, speechLevel, floor } = speechFrames(features, c);
  const method: SpeechMethod = c.thresholdDbfs === undefined ? 'energy' : 'threshold';
  const quietest = quantile(recordedLevels(features.bandRmsDbSorted), c.unsurePercentile);
  const unsure = method === 'energy' && speechLevel - quietest < c.unsureBelowDb;
  if (unsure && features.melPower.length > 0) {
    const frames = (sec: number) => Math.round(sec / features.hopSec);
    extendTail(spectralActivityLevels(features, c).levels, isSpeech, {
      edgeMarginDb: c.edgeMarginDb,
      minFrames: c.tailFrames,
      gapFrames: frames(c.hangoverSec),
      maxFrames: frames(c.maxEdgeSec),
    });
  }
  const levels = { threshold, speechLevel, floor, method, unsure };
  return spanOf(isSpeech, features.hopSec, durationSec, c.minSpeechFrames, levels);
}

/** The span of a clip's speech frames, whichever method marked them. */
export function spanOf(
  isSpeech: Uint8Array,
  hop: number,
  durationSec: number,
  minSpeechFrames: number,
  levels: Pick<SpeechSpan, 'threshold' | 'speechLevel' | 'floor' | 'method' | 'unsure'>,
): SpeechSpan {
  const first = firstRun(isSpeech, minSpeechFrames, false);
  if (first < 0) {
    const none = { leadingSec: durationSec, trailingSec: durationSec, speechSec: 0, longestPauseSec: 0 };
    return { isSpeech, ...levels, found: false, ...none };
  }
  const last = firstRun(isSpeech, minSpeechFrames, true);
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
    ...levels,
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
