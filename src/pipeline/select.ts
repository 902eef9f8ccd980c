import type { Source, SourceItem, SourceOptions } from '../sources/types.js';
import { hashString } from '../text/hash.js';
import type { Utterance } from '../types.js';

/** Which of the listed clips a run audits. At most one of `limit` and `sample`; `shard` combines with either. */
export interface Selection {
  /** The first N clips in manifest order. */
  limit?: number;
  /** A seeded random sample of N clips (the same N for the same seed, whatever the manifest order). */
  sample?: number;
  seed?: number;
  /** Shard `index` of `count` (1-based): a fixed 1/count of the clips by a hash of the clip id. */
  shard?: { index: number; count: number };
}

const SHARD_SEED = 0x5eed;
export const DEFAULT_SEED = 1;

/** The shard (1-based) of `count` that a clip id belongs to: fixed by the id alone. */
export const shardOf = (id: string, count: number) => (hashString(id, SHARD_SEED) % count) + 1;

export function inShard(id: string, shard: Selection['shard']): boolean {
  return !shard || shardOf(id, shard.count) === shard.index;
}

/** The `n` ids of smallest seeded hash: a uniform sample, kept in a bounded max-heap while the manifest streams. */
export async function sampleIds(
  items: AsyncIterable<SourceItem>,
  n: number,
  seed: number,
  shard: Selection['shard'],
): Promise<{ ids: Set<string>; population: number }> {
  const heap: { h: number; id: string }[] = [];
  const seen = new Set<string>();
  let population = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && heap[l].h > heap[top].h) top = l;
      if (r < heap.length && heap[r].h > heap[top].h) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top], heap[i]];
      i = top;
    }
  };
  for await (const item of items) {
    if (!('utterance' in item)) continue;
    const id = item.utterance.id;
    if (!inShard(id, shard) || seen.has(id)) continue;
    seen.add(id);
    population += 1;
    const h = hashString(id, seed);
    if (heap.length < n) {
      heap.push({ h, id });
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (heap[parent].h >= heap[i].h) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
      }
    } else if (h < heap[0].h) {
      heap[0] = { h, id };
      siftDown(0);
    }
  }
  return { ids: new Set(heap.map((e) => e.id)), population };
}

export interface SelectedItems {
  /** Source findings and the utterances the selection keeps, in manifest order. */
  items: AsyncIterable<SourceItem>;
  /** Clips the selection draws from (all listed clips of the shard), when known before the run. */
  population?: number;
}

/**
 * The source's items narrowed to the selection. A sample reads the manifests twice: once to draw the ids, once to
 * audit them (loaders stream, so this costs reading, not memory). A limit stops reading once it is reached.
 */
export async function selectItems(
  source: Source,
  root: string,
  options: SourceOptions,
  selection: Selection,
): Promise<SelectedItems> {
  const { limit, sample, shard } = selection;
  let chosen: ((u: Utterance) => boolean) | undefined;
  let population: number | undefined;
  if (sample !== undefined) {
    const drawn = await sampleIds(source.read(root, options), sample, selection.seed ?? DEFAULT_SEED, shard);
    chosen = (u) => drawn.ids.has(u.id);
    population = drawn.population;
  } else if (shard) chosen = (u) => inShard(u.id, shard);
  async function* items(): AsyncGenerator<SourceItem> {
    // Ids taken toward the limit; without one nothing is kept (a Set of a million ids is ~100 MB).
    const taken = new Set<string>();
    for await (const item of source.read(root, options)) {
      if (!('utterance' in item)) {
        yield item;
        continue;
      }
      if (chosen && !chosen(item.utterance)) continue;
      if (limit !== undefined) {
        // A repeated id is passed on so the run can report it; it does not count toward the limit.
        if (!taken.has(item.utterance.id) && taken.size >= limit) return;
        taken.add(item.utterance.id);
      }
      yield item;
    }
  }
  return { items: items(), population };
}
