import type { DecodedAudio } from '../types.js';
import type { FrameFeatures } from './frames.js';
import { spanOf, type SpeechConfig, type SpeechSpan } from './speech.js';

// The learned voice-activity detector (the Silero plugin) beside the energy method: asked where the energy method
// is unsure (speech close to the clip's quietest level: a soft onset or decay may sink into the noise), or on every
// clip with `vad: always` (`--profile deep`). It may only move the span's edges outward: the energy method misses
// quiet speech under noise, but a run it found holds a word's core (clicks and breaths do not pass its core test),
// and Silero, trained on speech in the wild, sometimes ends a soft last word early.

/** A learned voice-activity detector: speech frames on the clip's feature frames. */
export interface LearnedVad {
  speechFrames(
    audio: DecodedAudio,
    hopSec: number,
    frameCount: number,
    threshold: number,
    endLagSec: number,
  ): Promise<Uint8Array>;
}

/** Whether the learned VAD should be asked about this clip: always, or where the energy method is unsure. */
export function wantsLearnedVad(span: SpeechSpan, c: SpeechConfig): boolean {
  if (c.thresholdDbfs !== undefined || c.vad === 'off') return false;
  return c.vad === 'always' || span.unsure;
}

/** The learned VAD's speech frames alone, as a span (the energy method's levels stay for the SNR split). */
export async function learnedOnlySpan(
  energy: SpeechSpan,
  audio: DecodedAudio,
  features: Pick<FrameFeatures, 'hopSec' | 'frameCount'>,
  c: SpeechConfig,
  vad: LearnedVad,
): Promise<SpeechSpan> {
  const isSpeech = await vad.speechFrames(audio, features.hopSec, features.frameCount, c.vadThreshold, c.vadEndLagSec);
  return spanOf(isSpeech, features.hopSec, audio.durationSec, c.minSpeechFrames, { ...energy, method: 'silero' });
}

/**
 * The energy span with the learned VAD's speech added (a frame is speech when either marks it), so an edge only
 * moves outward; `method` is `silero` when it moved one, else the energy method's.
 */
export async function learnedSpan(
  energy: SpeechSpan,
  audio: DecodedAudio,
  features: Pick<FrameFeatures, 'hopSec' | 'frameCount'>,
  c: SpeechConfig,
  vad: LearnedVad,
): Promise<SpeechSpan> {
  const learned = await vad.speechFrames(audio, features.hopSec, features.frameCount, c.vadThreshold, c.vadEndLagSec);
  const isSpeech = Uint8Array.from(energy.isSpeech, (v, i) => v | learned[i]);
  const merged = spanOf(isSpeech, features.hopSec, audio.durationSec, c.minSpeechFrames, energy);
  const moved = !energy.found
    ? merged.found
    : merged.leadingSec < energy.leadingSec || merged.trailingSec < energy.trailingSec;
  return moved ? { ...merged, method: 'silero' } : merged;
}
