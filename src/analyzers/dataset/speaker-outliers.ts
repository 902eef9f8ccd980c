import { z } from 'zod';
import type { ClipResult } from '../../types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinByLine, openKeyedSpill, type KeyedSpill } from '../../util/keyed-spill.js';
import { recordFile, type RecordFile } from '../../util/records.js';
import { speakerGroups, type SpeakerGroup } from '../../util/speaker-groups.js';
import { openSpill, spillPrefix, type Spill } from '../../util/spill.js';
import { median, robustScale, robustZ, round } from '../../util/stats.js';
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
      exactUpTo: z
        .number()
        .int()
        .min(1000)
        .default(100_000)
        .describe(
          `Clips of one speaker up to which its median and MAD are exact; a larger speaker's come from a seeded random sample of this many of its clips (a generated 20,000-clip speaker sampled at 2,000: median within 0.1 %, one flagged clip of 55 different), and every clip is still scored against them. Keeps the end of a run in flat memory when one speaker has millions of clips.`,
        ),
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
  /** Clips of one speaker scored against its exact median/MAD; past it, against a seeded sample's. */
  exactUpTo?: number;
  /** Records read into memory at once at the end (tests make it small to split a few clips into parts). */
  valuesPerPart?: number;
}

/** Records a part of the values holds at most, read into memory at once at the end (16 bytes each). */
const VALUES_PER_PART = 1 << 17;

/**
 * Robust z-scores (median/MAD) of one metric within each speaker: a clip is judged against its own
 * speaker's pace, not the whole set's, so a fast speaker's clips are not all outliers.
 * A median needs every value, so each clip's (speaker, value, ordinal) goes to a record file (16 bytes of disk a
 * clip) and its id and origin to a spill; memory holds a count per speaker. At the end the records are read back a
 * part of whole speakers at a time (util/speaker-groups.ts): a speaker of up to `exactUpTo` clips is scored on its
 * exact median/MAD, a larger one on a seeded sample's, every clip streamed past them. `close` removes the files.
 */
export function speakerOutliers(o: SpeakerOutlierOptions) {
  // In first-appearance order, as the report lists them; `index` is the speaker's number in the records.
  const bySpeaker = new Map<string, { index: number; n: number }>();
  let dir: string | undefined; // opened by the first clip with a value, with the files below
  let values: RecordFile | undefined;
  let spill: Spill | undefined;
  let outliers: KeyedSpill | undefined;
  const word = new Float64Array(1);
  const words = new Uint32Array(word.buffer);
  return {
    add(clip: ClipResult): boolean {
      const v = clip.metrics[o.metric];
      if (!Number.isFinite(v)) return false;
      const key = clip.speaker ?? '(unknown)';
      let g = bySpeaker.get(key);
      if (!g) bySpeaker.set(key, (g = { index: bySpeaker.size, n: 0 }));
      g.n += 1;
      dir ??= mkdtempSync(join(tmpdir(), spillPrefix('outlier-values')));
      values ??= recordFile(join(dir, 'values'), 4);
      const ordinal = (spill ??= openSpill('outliers')).append(JSON.stringify([clip.id, clip.origin]));
      word[0] = v;
      values.push(g.index, words[0], words[1], ordinal);
      return true;
    },
    finish() {
      // Outliers go to disk by the ordinal of their clip: a speaker with no spread (MAD 0) makes every clip off
      // its median one; read back in clip order beside the spill of ids, they need no table of their own.
      const flagged = (outliers ??= openKeyedSpill('outliers-flagged'));
      const medians = new Float64Array(bySpeaker.size);
      const names = [...bySpeaker.keys()];
      const counts = [...bySpeaker.values()].map((g) => g.n);
      let scored = 0;
      const score = (g: SpeakerGroup) => {
        const vals = new Float64Array(g.count);
        const ordinals = new Uint32Array(g.count);
        for (let i = 0; i < g.count; i++) {
          [words[0], words[1]] = [g.records[4 * i + 1], g.records[4 * i + 2]];
          vals[i] = word[0];
          ordinals[i] = g.records[4 * i + 3];
        }
        medians[g.speaker] = median(vals);
        if (g.total < o.minClipsPerSpeaker) return;
        scored += 1;
        const flag = (v: number, zi: number, ordinal: number) => {
          if (Math.abs(zi) <= o.maxRobustZ) return;
          const message = `${round(v, 1)} ${o.unit} is ${zi > 0 ? 'fast' : 'slow'} for speaker ${names[g.speaker]} (robust z ${round(zi, 1)}, limit ${o.maxRobustZ})`;
          flagged.append(ordinal, JSON.stringify([message, zi]));
        };
        if (!g.sampled) {
          robustZ(vals).forEach((zi, i) => flag(vals[i], zi, ordinals[i]));
          return;
        }
        const { center, spread, scale } = robustScale(vals);
        g.each((w, at) => {
          [words[0], words[1]] = [w[at + 1], w[at + 2]];
          const v = word[0];
          flag(v, spread > 0 ? (scale * (v - center)) / spread : 0, w[at + 3]);
        });
      };
      if (values && dir) {
        const options = { dir, exactUpTo: o.exactUpTo ?? 100_000, perPart: o.valuesPerPart ?? VALUES_PER_PART };
        speakerGroups(values, counts, options, score);
      }
      const perSpeaker: Record<string, { clips: number; median: number }> = {};
      names.forEach((name, i) => (perSpeaker[name] = { clips: counts[i], median: medians[i] }));
      return { clipFindings: resolve(spill, flagged, o), outliers: flagged.count, perSpeaker, scored };
    },
    close() {
      values?.close();
      spill?.close();
      outliers?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
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
  for (const [row, lines] of joinByLine(spill, flagged)) {
    const [clipId, origin] = JSON.parse(row) as [string, ClipFindingDraft['origin']];
    for (const l of lines) {
      const [message, value] = JSON.parse(l) as [string, number];
      yield { code: o.code, clipId, origin, message, value, threshold: o.maxRobustZ };
    }
  }
}
