/**
 * A multimap from 32-bit keys to clip ordinals in two typed arrays (open addressing, linear probing):
 * 8 bytes a slot, no per-entry objects, and no 2^24-entry ceiling as a V8 Map has.
 * Each key holds at most `perKey` values (bounded state per bucket: the earliest clips to land there).
 */
export interface BucketTable {
  /** Calls `fn` with every value stored under `key`. */
  forEach(key: number, fn: (value: number) => void): void;
  /** Stores `value` under `key` unless the key already holds `perKey` values; returns whether it did. */
  add(key: number, value: number): boolean;
  readonly size: number;
  readonly bytes: number;
}

const EMPTY = 0; // values are stored +1 so a zeroed array reads as empty

export function bucketTable(perKey: number, initialSlots = 1 << 10): BucketTable {
  let keys = new Uint32Array(initialSlots);
  let vals = new Uint32Array(initialSlots);
  let mask = initialSlots - 1;
  let size = 0;

  const place = (k: number, v1: number) => {
    let i = k & mask;
    while (vals[i] !== EMPTY) i = (i + 1) & mask;
    keys[i] = k;
    vals[i] = v1;
  };
  // Three quarters full at most: ~9 probes for a miss, and 11–21 bytes an entry instead of 16–32 at half.
  const grow = () => {
    const oldKeys = keys;
    const oldVals = vals;
    keys = new Uint32Array(oldKeys.length * 2);
    vals = new Uint32Array(oldVals.length * 2);
    mask = keys.length - 1;
    for (let i = 0; i < oldVals.length; i++) if (oldVals[i] !== EMPTY) place(oldKeys[i], oldVals[i]);
  };

  return {
    forEach(key, fn) {
      const k = key >>> 0;
      for (let i = k & mask; vals[i] !== EMPTY; i = (i + 1) & mask) if (keys[i] === k) fn(vals[i] - 1);
    },
    add(key, value) {
      const k = key >>> 0;
      let held = 0;
      for (let i = k & mask; vals[i] !== EMPTY; i = (i + 1) & mask) if (keys[i] === k && ++held >= perKey) return false;
      if ((size + 1) * 4 > keys.length * 3) grow();
      place(k, value + 1);
      size += 1;
      return true;
    },
    get size() {
      return size;
    },
    get bytes() {
      return keys.byteLength + vals.byteLength;
    },
  };
}
