import { z } from 'zod';
import type { ClipResult } from '../../types.js';
import { openKeyedSpill, type KeyedSpill } from '../../util/keyed-spill.js';
import { openSpill, type Spill } from '../../util/spill.js';
import { median, robustZ, round } from '../../util/stats.js';
import type { ClipFindingDraft } from '../types.js';

/** The config of an outlier analyzer: the same two settings for any per-speaker metric. */
export function outlierConfig(what: string, clipsWith = '') {
  return z
    .strictObject({
      maxRobustZ: z
        .number()
        .positive()
        .default(3.5)
        .describe(`|modified z| (median/MAD, Iglewicz–Hoaglin) above this marks a ${what} outlier within its speaker.`),
      minClipsPerSpeaker: z
        .number()
        .int()
        .min(3)
        .default(8)
        .describe(`Speakers with fewer clips${clipsWith} have no stable median; they are not scored.`),
    })
    .prefault({});
}

export interface SpeakerOutlierOptions {
  /** The clip metric judged, e.g. `rate.chars_per_sec`. */
  metric: string;
  /** Finding code for a clip out of its speaker's character. */
  code: string;
  /** Unit in the message, e.g. `chars/s`. */
  unit: string;
  maxRobustZ: number;
  minClipsPerSpeaker: number;
}

/** One speaker's values and the ordinals of the clips they came from, in growable typed arrays. */
interface Column {
  values: Float64Array;
  ordinals: Uint32Array;
  n: number;
}

function push(c: Column, value: number, ordinal: number): void {
  if (c.n === c.values.length) {
    const values = new Float64Array(c.values.length * 2);
    const ordinals = new Uint32Array(c.values.length * 2);
    values.set(c.values);
    ordinals.set(c.ordinals);
    [c.values, c.ordinals] = [values, ordinals];
  }
  c.values[c.n] = value;
  c.ordinals[c.n++] = ordinal;
}

/**
 * Robust z-scores (median/MAD) of one metric within each speaker: a clip is judged against its own
 * speaker's pace, not the whole set's, so a fast speaker's clips are not all outliers.
 * A clip costs 12 bytes of memory here; its id and origin, needed only for the few outliers, go to a spill
 * file read once at the end, so a corpus of millions fits. `close` removes the file.
 */
export function speakerOutliers(o: SpeakerOutlierOptions) {
  const bySpeaker = new Map<string, Column>();
  let spill: Spill | undefined; // opened by the first clip, removed by `close`
  let outliers: KeyedSpill | undefined;
  return {
    add(clip: ClipResult): boolean {
      const v = clip.metrics[o.metric];
      if (!Number.isFinite(v)) return false;
      const key = clip.speaker ?? '(unknown)';
      let g = bySpeaker.get(key);
      if (!g) bySpeaker.set(key, (g = { values: new Float64Array(16), ordinals: new Uint32Array(16), n: 0 }));
      push(g, v, (spill ??= openSpill('outliers')).append(JSON.stringify([clip.id, clip.origin])));
      return true;
    },
    finish() {
      // Outliers go to disk by the ordinal of their clip: a speaker with no spread (MAD 0) makes every clip off
      // its median one; read back in clip order beside the spill of ids, they need no table of their own.
      const flagged = (outliers ??= openKeyedSpill('outliers-flagged'));
      const perSpeaker: Record<string, { clips: number; median: number }> = {};
      let scored = 0;
      for (const [speaker, g] of bySpeaker) {
        const values = g.values.subarray(0, g.n);
        perSpeaker[speaker] = { clips: g.n, median: median(values) };
        if (g.n < o.minClipsPerSpeaker) continue;
        scored += 1;
        robustZ(values).forEach((zi, i) => {
          if (Math.abs(zi) <= o.maxRobustZ) return;
          const message = `${round(values[i], 1)} ${o.unit} is ${zi > 0 ? 'fast' : 'slow'} for speaker ${speaker} (robust z ${round(zi, 1)}, limit ${o.maxRobustZ})`;
          flagged.append(g.ordinals[i], JSON.stringify([message, zi]));
        });
      }
      return { clipFindings: resolve(spill, flagged, o), outliers: flagged.count, perSpeaker, scored };
    },
    close() {
      spill?.close();
      outliers?.close();
    },
  };
}

/** The flagged clips' findings in clip order, their ids and origins read from the spill beside them. */
function* resolve(
  spill: Spill | undefined,
  flagged: KeyedSpill,
  o: SpeakerOutlierOptions,
): Generator<ClipFindingDraft> {
  if (!spill || flagged.count === 0) return;
  const groups = flagged.groups();
  let next = groups.next();
  let ordinal = 0;
  for (const line of spill.lines()) {
    if (next.done) return;
    if (next.value[0] === ordinal) {
      const [clipId, origin] = JSON.parse(line) as [string, ClipFindingDraft['origin']];
      for (const l of next.value[1]) {
        const [message, value] = JSON.parse(l) as [string, number];
        yield { code: o.code, clipId, origin, message, value, threshold: o.maxRobustZ };
      }
      next = groups.next();
    }
    ordinal += 1;
  }
}
