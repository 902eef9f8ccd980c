import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskArena } from '../util/disk-arena.js';
import { partitionRecords, partsFor, recordFile, type RecordFile } from '../util/records.js';
import { spillPrefix } from '../util/spill.js';
import { editSimilarity } from './edit-similarity.js';
import { hashString } from './hash.js';
import { matchText, minHasher } from './minhash.js';
import {
  BUCKET_CAPACITY,
  EXACT_SEEDS,
  LSH,
  MAX_CHECKS,
  MAX_TEXT_BYTES,
  exactKey,
  type TranscriptIndexOptions,
  type TranscriptMatch,
} from './near-duplicates.js';

// The transcript index of near-duplicates.ts with its per-clip state on disk: the in-memory index costs
// ~300 bytes a clip (16 LSH band entries, the folded text, the id), 300 MB at a million clips. Here each clip
// is appended to files as it comes (~250 bytes of disk), and `finish` replays the same decisions by partitioned
// hashing: exact keys grouped by hash, then band keys, then candidate pairs grouped by clip, each part small
// enough for memory. The buckets keep the earliest clips, so the state a clip met when it arrived is the
// earliest part of its bucket, and every finding equals the in-memory index's.

/** Distinct keys a part holds in a Map at once (~100 bytes each): the passes' memory, whatever the corpus. */
const KEYS_PER_PART = 1 << 16;
/** Candidate pairs a part sorts at once (8 bytes each). */
const PAIRS_PER_PART = 1 << 20;
const DUP = 1;
const NEAR = 2;
const REMEMBERED = 4;
const OUTCOME_BYTES = 16; // the earlier clip (u32) and the similarity (f64)

export interface SpilledMatch {
  /** Order among the clips observed with a non-empty transcript. */
  seq: number;
  id: string;
  /** What the caller attached to the clip when observing it. */
  payload: string;
  match: TranscriptMatch;
}

export function spilledTranscriptIndex(o: TranscriptIndexOptions) {
  const hasher = minHasher(LSH);
  const dir = mkdtempSync(join(tmpdir(), spillPrefix('transcripts')));
  const at = (name: string) => join(dir, name);
  const ids = diskArena(at('ids'));
  const texts = diskArena(at('texts'));
  const payloads = diskArena(at('payloads'));
  const exactRecords = recordFile(at('exact'), 3); // h1, h2, seq
  const sizes = recordFile(at('sizes'), 1); // UTF-8 bytes of folded text and id: what fills the in-memory index
  const bands = recordFile(at('bands'), 2); // band key, seq; a key twice in one clip is kept twice, as in memory
  const open: { close(): void }[] = [ids, texts, payloads, exactRecords, sizes, bands];
  let n = 0;
  let result: { indexed: number; full: boolean } | undefined;
  let closed = false;

  function close() {
    if (closed) return;
    closed = true;
    for (const f of open) f.close();
    rmSync(dir, { recursive: true, force: true });
  }

  /** Exact repeats: a clip repeats the first remembered clip of its key (among the first BUCKET_CAPACITY of its hash). */
  function exactPass(parts: RecordFile[], flags: Uint8Array, rememberBefore: number, outcomes: number) {
    const slot = Buffer.alloc(OUTCOME_BYTES);
    for (const part of parts) {
      const buckets = new Map<number, number[]>(); // h1 → [h2, seq, h2, seq, …]
      for (const chunk of part.chunks()) {
        for (let i = 0; i < chunk.length; i += 3) {
          const [h1, h2, seq] = [chunk[i], chunk[i + 1], chunk[i + 2]];
          const bucket = buckets.get(h1);
          let twin = -1;
          if (bucket) for (let j = 0; j < bucket.length && twin < 0; j += 2) if (bucket[j] === h2) twin = bucket[j + 1];
          if (twin >= 0) {
            flags[seq] |= DUP;
            slot.writeUInt32LE(twin, 0);
            writeSync(outcomes, slot, 0, OUTCOME_BYTES, seq * OUTCOME_BYTES);
          } else if (seq < rememberBefore) {
            if (!bucket) buckets.set(h1, [h2, seq]);
            else if (bucket.length < 2 * BUCKET_CAPACITY) bucket.push(h2, seq);
          }
        }
      }
    }
  }

  /** The first clip not remembered: the index fills by count or by bytes of the clips it remembered before. */
  function fillPoint(flags: Uint8Array) {
    let indexed = 0;
    let bytes = 0;
    let seq = 0;
    for (const chunk of sizes.chunks()) {
      for (const size of chunk) {
        if (indexed >= o.maxIndexed || bytes >= MAX_TEXT_BYTES) return { before: seq, indexed, full: true };
        if (!(flags[seq] & DUP)) {
          indexed += 1;
          bytes += size;
        }
        seq += 1;
      }
    }
    return { before: n, indexed, full: indexed >= o.maxIndexed || bytes >= MAX_TEXT_BYTES };
  }

  /** Candidate pairs (later clip, earlier clip), once per shared band, as the in-memory buckets would give them. */
  function candidatePairs(flags: Uint8Array): RecordFile {
    const pairs = recordFile(at('pairs'), 2);
    open.push(pairs);
    const p = partsFor(bands.count, KEYS_PER_PART);
    const parts = partitionRecords(
      bands,
      (k) => at(`bands-${k}`),
      p,
      (w, i) => w[i] % p,
    );
    try {
      for (const part of parts) {
        const buckets = new Map<number, number[]>();
        for (const chunk of part.chunks()) {
          for (let i = 0; i < chunk.length; i += 2) {
            const [key, seq] = [chunk[i], chunk[i + 1]];
            if (flags[seq] & DUP) continue; // an exact repeat neither asks nor is remembered
            const bucket = buckets.get(key);
            // `seq` itself is in the bucket only when this key is twice among its bands: it asked before adding
            if (bucket) for (const earlier of bucket) if (earlier !== seq) pairs.push(seq, earlier);
            if (!(flags[seq] & REMEMBERED)) continue;
            if (!bucket) buckets.set(key, [seq]);
            else if (bucket.length < BUCKET_CAPACITY) bucket.push(seq);
          }
        }
        part.close();
      }
    } finally {
      parts.forEach((f) => f.close());
    }
    return pairs;
  }

  /** Each clip's candidates ranked by shared bands (ties: earlier clip), the best confirmed by edit distance. */
  function confirm(pairs: RecordFile, flags: Uint8Array, outcomes: number) {
    const p = partsFor(pairs.count, PAIRS_PER_PART);
    const span = Math.max(1, Math.ceil(n / p));
    const parts = partitionRecords(
      pairs,
      (k) => at(`pairs-${k}`),
      p,
      (w, i) => Math.floor(w[i] / span),
    );
    const slot = Buffer.alloc(OUTCOME_BYTES);
    try {
      for (const part of parts) {
        const packed = new BigUint64Array(part.count);
        let k = 0;
        for (const chunk of part.chunks()) {
          for (let i = 0; i < chunk.length; i += 2) packed[k++] = (BigInt(chunk[i]) << 32n) | BigInt(chunk[i + 1]);
        }
        part.close();
        packed.sort();
        for (let start = 0; start < packed.length;) {
          const seq = Number(packed[start] >> 32n);
          const hits: [earlier: number, shared: number][] = [];
          let end = start;
          for (; end < packed.length && Number(packed[end] >> 32n) === seq; end++) {
            const earlier = Number(packed[end] & 0xffffffffn);
            if (hits.length > 0 && hits[hits.length - 1][0] === earlier) hits[hits.length - 1][1] += 1;
            else hits.push([earlier, 1]);
          }
          start = end;
          const ranked = hits.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_CHECKS);
          const text = texts.get(seq);
          let best: { of: number; similarity: number } | undefined;
          for (const [earlier] of ranked) {
            const s = editSimilarity(text, texts.get(earlier), o.threshold);
            if (s !== null && (best === undefined || s > best.similarity)) best = { of: earlier, similarity: s };
          }
          if (!best) continue;
          flags[seq] |= NEAR;
          slot.writeUInt32LE(best.of, 0);
          slot.writeDoubleLE(best.similarity, 8);
          writeSync(outcomes, slot, 0, OUTCOME_BYTES, seq * OUTCOME_BYTES);
        }
      }
    } finally {
      parts.forEach((f) => f.close());
    }
  }

  return {
    /** Records a clip's training transcript; its match, if any, comes out of `finish`. */
    observe(id: string, training: string, payload = ''): void {
      const key = exactKey(training);
      if (key === '') return;
      const text = matchText(training);
      const seq = n++;
      ids.push(id);
      texts.push(text);
      payloads.push(payload);
      exactRecords.push(hashString(key, EXACT_SEEDS[0]), hashString(key, EXACT_SEEDS[1]), seq);
      sizes.push(Buffer.byteLength(text) + Buffer.byteLength(id));
      if (text !== '') for (const k of hasher.bandKeys(text)) bands.push(k, seq);
    },
    /**
     * Every clip that repeats or nearly repeats an earlier one, in the order observed; removes the files once
     * read to the end (or on `close`). One byte a clip is held meanwhile.
     */
    *finish(): Generator<SpilledMatch> {
      try {
        const flags = new Uint8Array(n);
        const outcomes = openSync(at('outcomes'), 'w+');
        open.push({ close: () => closeSync(outcomes) });
        const p = partsFor(exactRecords.count, KEYS_PER_PART);
        const parts = partitionRecords(
          exactRecords,
          (k) => at(`exact-${k}`),
          p,
          (w, i) => w[i] % p,
        );
        open.push(...parts);
        // Whether a clip repeats an earlier one does not depend on where the index filled, before that point:
        // a first pass as if it never filled finds the point, a second redoes the clips after it.
        exactPass(parts, flags, n, outcomes);
        const fill = fillPoint(flags);
        if (fill.before < n) {
          flags.fill(0);
          exactPass(parts, flags, fill.before, outcomes);
        }
        parts.forEach((f) => f.close());
        result = { indexed: fill.indexed, full: fill.full };
        for (let seq = 0; seq < fill.before; seq++) if (!(flags[seq] & DUP)) flags[seq] |= REMEMBERED;
        confirm(candidatePairs(flags), flags, outcomes);
        const slot = Buffer.alloc(OUTCOME_BYTES);
        for (let seq = 0; seq < n; seq++) {
          if (!(flags[seq] & (DUP | NEAR))) continue;
          readSync(outcomes, slot, 0, OUTCOME_BYTES, seq * OUTCOME_BYTES);
          const of = ids.get(slot.readUInt32LE(0));
          const match: TranscriptMatch =
            flags[seq] & DUP ? { kind: 'exact', of } : { kind: 'near', of, similarity: slot.readDoubleLE(8) };
          yield { seq, id: ids.get(seq), payload: payloads.get(seq), match };
        }
      } finally {
        close();
      }
    },
    /** Clips remembered and whether the index filled; known once `finish` has run. */
    stats(): { indexed: number; full: boolean } {
      if (!result) throw new Error('transcript index: stats before finish');
      return result;
    },
    close,
  };
}
