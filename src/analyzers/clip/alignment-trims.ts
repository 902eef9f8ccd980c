// The recognizer's word timings against the suggested trims: the forced alignment says where the transcript's
// first word starts and its last one ends, so a trim that would cut into them (a speech span ended early by a
// soft ending, or started late after a quiet onset) is caught before the curated copy loses a word.
//
// Measured by scripts/bench/trim-check.ts on the 68 true pairs of scripts/bench-alignment.ts (24 clips, 20 halves,
// 24 under 20 dB pink noise): the aligned speech starts −0.15…+0.07 s (p5…p95) from the speech span's start and
// ends within −0.16…+0.11 s of its end, so the suggested trims are flagged on none of them. With the span
// shortened on purpose so the trim falls d s inside the speech: caught at the start 55/68 for d = 0.2 s, 65/68
// for 0.3 s, 63/66 for 0.5 s; at the end 31/68, 63/68, 65/66. `maxSecPerPhone` was set on these same pairs.

import type { Trims } from '../../features/trims.js';
import { round } from '../../util/stats.js';
import type { FindingDraft } from '../types.js';
import type { TrimCheckConfig } from './alignment-config.js';
import type { RecognizerEvidence } from './transcript-fit.js';

export type { TrimCheckConfig };

/**
 * Where the transcript's speech starts and ends by the recognizer. Under noise pocketsphinx may stretch the first
 * word back over the noise before it (VCTK p230_023 under 20 dB pink noise: "if" from 0 to 2.17 s, where the clean
 * clip's "if" starts at 2.16 s), or the last one to the clip's end: an edge word longer than `maxSecPerPhone` per
 * phone counts from its inner end only, where the rest of the words start (or end).
 */
export function alignedSpeech(
  e: RecognizerEvidence,
  maxSecPerPhone: number,
): { onsetSec: number; offsetSec: number } | undefined {
  const [first, last] = [e.firstWord, e.lastWord];
  if (!first || !last) return undefined;
  const stretched = (w: typeof first) => w.endSec - w.startSec > w.phones * maxSecPerPhone;
  return {
    onsetSec: stretched(first) ? first.endSec : first.startSec,
    offsetSec: stretched(last) ? last.startSec : last.endSec,
  };
}

/** Seconds of aligned speech before the trim's start and after its end; undefined when no word was aligned. */
export function trimCuts(
  e: RecognizerEvidence,
  trims: Trims,
  maxSecPerPhone: number,
): { startSec: number; endSec: number } | undefined {
  const speech = alignedSpeech(e, maxSecPerPhone);
  if (!speech) return undefined;
  return {
    startSec: Math.max(0, trims.startSec - speech.onsetSec),
    endSec: Math.max(0, speech.offsetSec - trims.endSec),
  };
}

/** The `alignment.trim_cut_*` metrics and, past `maxOutsideSec` at either end, the finding. */
export function checkTrims(
  e: RecognizerEvidence,
  trims: Trims,
  c: TrimCheckConfig,
): { metrics: Record<string, number>; finding?: FindingDraft } {
  const cuts = c.enabled ? trimCuts(e, trims, c.maxSecPerPhone) : undefined;
  if (!cuts) return { metrics: {} };
  const metrics = { 'alignment.trim_cut_start_sec': cuts.startSec, 'alignment.trim_cut_end_sec': cuts.endSec };
  const worst = cuts.startSec >= cuts.endSec ? 'start' : 'end';
  const value = Math.max(cuts.startSec, cuts.endSec);
  if (!(value > c.maxOutsideSec)) return { metrics };
  const speech = alignedSpeech(e, c.maxSecPerPhone)!;
  const where =
    worst === 'start'
      ? `the trim starts at ${round(trims.startSec, 2)} s, the first word at ${round(speech.onsetSec, 2)} s`
      : `the trim ends at ${round(trims.endSec, 2)} s, the last word at ${round(speech.offsetSec, 2)} s`;
  return {
    metrics,
    finding: {
      code: 'alignment.trim_cuts_speech',
      message: `the suggested trim would cut ${round(value, 2)} s of aligned speech at the ${worst} (limit ${c.maxOutsideSec} s): ${where}`,
      value,
      threshold: c.maxOutsideSec,
      unit: 's',
      metric: `alignment.trim_cut_${worst}_sec`,
    },
  };
}
