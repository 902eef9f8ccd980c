import type { SpeechSpan } from './speech.js';

// The suggested trims of a clip, from its speech span and the silence analyzer's `trimMarginSec`: computed once
// per clip beside the span, so the silence analyzer reports them and the alignment analyzer checks them against
// the recognizer's word timings, neither reading the other's metrics.

export interface Trims {
  /** Start of the audio a trim would keep (s). */
  startSec: number;
  /** End of the audio a trim would keep (s). */
  endSec: number;
}

/** The span's edges widened by `marginSec` of silence each side, within the clip; the whole clip with no speech. */
export function suggestedTrims(speech: SpeechSpan, durationSec: number, marginSec: number): Trims {
  if (!speech.found) return { startSec: 0, endSec: durationSec };
  return {
    startSec: Math.max(0, speech.leadingSec - marginSec),
    endSec: Math.min(durationSec, durationSec - speech.trailingSec + marginSec),
  };
}
