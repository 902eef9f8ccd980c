/**
 * A Map that never holds more than `capacity` keys: when a new key would pass it, the half with the
 * lowest `weight` is dropped (a space-saving heavy-hitters sketch, pruned in bulk so each insert costs
 * O(log capacity) amortised). Frequent keys survive; counts of a key dropped and seen again restart.
 */
export interface BoundedMap<T> {
  upsert(key: string, create: () => T): T;
  get(key: string): T | undefined;
  entries(): [string, T][];
  /** Whether any key was ever dropped, so totals drawn from the kept entries are lower bounds. */
  readonly pruned: boolean;
}

export function boundedMap<T>(capacity: number, weight: (v: T) => number): BoundedMap<T> {
  const map = new Map<string, T>();
  let pruned = false;
  return {
    upsert(key, create) {
      let v = map.get(key);
      if (v === undefined) {
        if (map.size >= capacity) {
          const keep = [...map].sort((a, b) => weight(b[1]) - weight(a[1])).slice(0, Math.floor(capacity / 2));
          map.clear();
          for (const [k, x] of keep) map.set(k, x);
          pruned = true;
        }
        v = create();
        map.set(key, v);
      }
      return v;
    },
    get: (key) => map.get(key),
    entries: () => [...map],
    get pruned() {
      return pruned;
    },
  };
}

/** The `n` heaviest entries, ties by key so reports are stable. */
export function topEntries<T>(m: BoundedMap<T>, n: number, weight: (v: T) => number): [string, T][] {
  return m
    .entries()
    .sort((a, b) => weight(b[1]) - weight(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n);
}
