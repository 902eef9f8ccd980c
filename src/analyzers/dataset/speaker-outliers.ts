import { z } from 'zod';
import type { ClipResult } from '../../types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinByLine, openKeyedSpill, type KeyedSpill } from '../../util/keyed-spill.js';
import { partitionRecords, partsFor, recordFile, type RecordFile } from '../../util/records.js';
import { openSpill, spillPrefix, type Spill } from '../../util/spill.js';
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
  /** Records read into memory at once at the end (tests make it small to split a few clips into parts). */
  valuesPerPart?: number;
}

/** Records a part of the values holds at most, read into memory at once at the end (16 bytes each on disk). */
const VALUES_PER_PART = 1 << 20;

/**
 * Robust z-scores (median/MAD) of one metric within each speaker: a clip is judged against its own
 * speaker's pace, not the whole set's, so a fast speaker's clips are not all outliers.
 * A median needs every value, so each clip's (speaker, value, ordinal) goes to a record file (16 bytes of disk a
 * clip) and its id and origin to a spill; memory holds a count per speaker. At the end the records are split by
 * speaker into parts of about a million and each part's speakers are scored in memory: the largest part costs
 * 12 bytes a record for that moment (a speaker of ten million clips, 120 MB). `close` removes the files.
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
      const score = (speaker: number, vals: Float64Array, ordinals: Uint32Array) => {
        medians[speaker] = median(vals);
        if (vals.length < o.minClipsPerSpeaker) return;
        scored += 1;
        robustZ(vals).forEach((zi, i) => {
          if (Math.abs(zi) <= o.maxRobustZ) return;
          const message = `${round(vals[i], 1)} ${o.unit} is ${zi > 0 ? 'fast' : 'slow'} for speaker ${names[speaker]} (robust z ${round(zi, 1)}, limit ${o.maxRobustZ})`;
          flagged.append(ordinals[i], JSON.stringify([message, zi]));
        });
      };
      if (values && dir) {
        const at = dir;
        const p = partsFor(values.count, o.valuesPerPart ?? VALUES_PER_PART);
        const parts =
          p === 1
            ? [values]
            : partitionRecords(
                values,
                (k) => join(at, `part-${k}`),
                p,
                (w, i) => w[i] % p,
              );
        try {
          for (const part of parts) scorePart(part, counts, score);
        } finally {
          if (p > 1) parts.forEach((f) => f.close());
        }
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

/** Reads one part's records into a column per speaker, in clip order, and scores each speaker. */
function scorePart(
  part: RecordFile,
  counts: number[],
  score: (speaker: number, values: Float64Array, ordinals: Uint32Array) => void,
): void {
  const columns = new Map<number, { values: Float64Array; ordinals: Uint32Array; n: number }>();
  const word = new Float64Array(1);
  const words = new Uint32Array(word.buffer);
  for (const chunk of part.chunks()) {
    for (let at = 0; at < chunk.length; at += 4) {
      const speaker = chunk[at];
      let c = columns.get(speaker);
      if (!c) {
        const n = counts[speaker];
        columns.set(speaker, (c = { values: new Float64Array(n), ordinals: new Uint32Array(n), n: 0 }));
      }
      [words[0], words[1]] = [chunk[at + 1], chunk[at + 2]];
      c.values[c.n] = word[0];
      c.ordinals[c.n++] = chunk[at + 3];
    }
  }
  for (const [speaker, c] of columns) score(speaker, c.values, c.ordinals);
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
