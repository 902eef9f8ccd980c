// The recognizer's word timings against the suggested trims: the forced alignment says where the transcript's
// first word starts and its last one ends, so a trim that would cut into them (a speech span ended early by a
// soft ending, or started late after a quiet onset) is caught before the curated copy loses a word.
//
// Measured by scripts/bench/trim-check.ts on the real English clips of scripts/bench-alignment.ts: pocketsphinx's
// word edges sit within ~0.1 s of the energy span on true pairs, so `maxOutsideSec` at 0.2 s leaves them alone.

import { z } from 'zod';
import type { Trims } from '../../features/trims.js';
import { round } from '../../util/stats.js';
import type { FindingDraft } from '../types.js';
import type { RecognizerEvidence } from './transcript-fit.js';

export const trimCheckConfig = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Where the recognizer aligned a transcript that fits, check the suggested trims against its first and last word (`alignment.trim_cuts_speech`).',
      ),
    maxOutsideSec: z
      .number()
      .min(0)
      .default(0.2)
      .describe(
        'Aligned speech (s) a trim may cut at either end before it is a finding: pocketsphinx places word edges to a frame or two, and a word’s faint release is no loss.',
      ),
  })
  .prefault({});

export type TrimCheckConfig = z.output<typeof trimCheckConfig>;

/** Seconds of aligned speech before the trim's start and after its end; undefined when no word was aligned. */
export function trimCuts(e: RecognizerEvidence, trims: Trims): { startSec: number; endSec: number } | undefined {
  if (e.onsetSec === undefined || e.offsetSec === undefined) return undefined;
  return {
    startSec: Math.max(0, trims.startSec - e.onsetSec),
    endSec: Math.max(0, e.offsetSec - trims.endSec),
  };
}

/** The `alignment.trim_cut_*` metrics and, past `maxOutsideSec` at either end, the finding. */
export function checkTrims(
  e: RecognizerEvidence,
  trims: Trims,
  c: TrimCheckConfig,
): { metrics: Record<string, number>; finding?: FindingDraft } {
  const cuts = c.enabled ? trimCuts(e, trims) : undefined;
  if (!cuts) return { metrics: {} };
  const metrics = { 'alignment.trim_cut_start_sec': cuts.startSec, 'alignment.trim_cut_end_sec': cuts.endSec };
  const worst = cuts.startSec >= cuts.endSec ? 'start' : 'end';
  const value = Math.max(cuts.startSec, cuts.endSec);
  if (!(value > c.maxOutsideSec)) return { metrics };
  const where =
    worst === 'start'
      ? `the trim starts at ${round(trims.startSec, 2)} s, the first word at ${round(e.onsetSec!, 2)} s`
      : `the trim ends at ${round(trims.endSec, 2)} s, the last word at ${round(e.offsetSec!, 2)} s`;
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
