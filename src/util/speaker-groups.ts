import { join } from 'node:path';
import { fmix32 } from '../text/hash.js';
import { partitionRecords, type RecordFile } from './records.js';

// The per-speaker judgements at the end of a run (outlier scores, voices) need a speaker's clips together, and a
// corpus may be one speaker of ten million clips. The records (the speaker's number in word 0, in clip order) are
// split into parts of whole speakers, at most about `perPart` kept records each, and read back one part at a time:
// a speaker of up to `exactUpTo` records comes whole, in clip order; a larger one as a seeded uniform sample of
// `exactUpTo` of its records (reservoir sampling driven by a hash of the position, so the same sample every run),
// with a pass over all of its records once the sample has given the centre and the spread. Memory is one part's
// kept records, whatever the size of the corpus or of its largest speaker.

export interface SpeakerGroup {
  speaker: number;
  /** The speaker's records (`width` words each): all of them in clip order, or the sample. */
  records: Uint32Array;
  /** Records in `records`. */
  count: number;
  /** The speaker's records in all. */
  total: number;
  /** True when `records` is a sample (`total` > `exactUpTo`). */
  sampled: boolean;
  /** Visits every one of the speaker's records in clip order (`words[at…at+width)`); reads the part again. */
  each(visit: (words: Uint32Array, at: number) => void): void;
}

export interface SpeakerGroupOptions {
  /** A folder for the parts (removed with it by the caller). */
  dir: string;
  exactUpTo: number;
  perPart: number;
  seed?: number;
}

const MAX_PARTS = 512;

/** Calls `visit` for each speaker with records, in speaker order. `counts[s]` is speaker s's number of records. */
export function speakerGroups(
  source: RecordFile,
  counts: ArrayLike<number>,
  o: SpeakerGroupOptions,
  visit: (g: SpeakerGroup) => void,
): void {
  const w = source.width;
  const kept = Array.from(counts, (n) => Math.min(n, o.exactUpTo));
  const totalKept = kept.reduce((s, n) => s + n, 0);
  // Whole speakers in speaker order, a part closed once it holds `perPart` records: consecutive packing keeps the
  // visits in speaker order and needs no table but the part of each speaker.
  const perPart = Math.max(o.perPart, Math.ceil((2 * totalKept) / MAX_PARTS));
  const partOf = new Uint16Array(kept.length);
  let parts = 1;
  let filled = 0;
  kept.forEach((n, s) => {
    if (filled > 0 && filled + n > perPart) [parts, filled] = [parts + 1, 0];
    partOf[s] = parts - 1;
    filled += n;
  });
  const files =
    parts === 1
      ? [source]
      : partitionRecords(
          source,
          (p) => join(o.dir, `group-${p}`),
          parts,
          (words, at) => partOf[words[at]],
        );
  const seed = o.seed ?? 0x2545f491;
  try {
    for (const file of files) {
      const buffers = new Map<number, Uint32Array>();
      const seen = new Map<number, number>();
      for (const chunk of file.chunks()) {
        for (let at = 0; at < chunk.length; at += w) {
          const s = chunk[at];
          const i = seen.get(s) ?? 0;
          seen.set(s, i + 1);
          let buffer = buffers.get(s);
          if (!buffer) buffers.set(s, (buffer = new Uint32Array(kept[s] * w)));
          // Algorithm R: record i replaces a random slot with probability exactUpTo / (i + 1)
          const slot = i < kept[s] ? i : Math.floor((fmix32((i ^ seed) >>> 0) / 2 ** 32) * (i + 1));
          if (slot < kept[s]) for (let k = 0; k < w; k++) buffer[slot * w + k] = chunk[at + k];
        }
      }
      const speakers = [...buffers.keys()].sort((a, b) => a - b);
      for (const s of speakers) {
        const records = buffers.get(s)!;
        buffers.delete(s);
        visit({
          speaker: s,
          records,
          count: kept[s],
          total: counts[s],
          sampled: counts[s] > kept[s],
          each(see) {
            for (const chunk of file.chunks())
              for (let at = 0; at < chunk.length; at += w) if (chunk[at] === s) see(chunk, at);
          },
        });
      }
    }
  } finally {
    if (parts > 1) files.forEach((f) => f.close());
  }
}
