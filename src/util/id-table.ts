import { hashString } from '../text/hash.js';

// Clip ids of a whole corpus in 12 bytes a slot instead of a JS Set/Map entry (~80 bytes and a string each):
// open addressing keyed by a 64-bit hash of the id, with one float per id. Two distinct ids share a key with
// probability ~n²/2⁶⁵ (3·10⁻⁸ at a million clips), which would only merge their durations.
// The slots are split in 64 tables by the hash's top bits, each grown by half when 80 % full: a table that
// doubled as one would hold old and new arrays at once (37 MB at half a million ids) and sit half empty after;
// here a growth copies 1/64 of the ids and the slots stay 53–80 % full (15–23 bytes an id). Each table is one
// allocation, past a few thousand ids large enough that malloc maps it apart and gives it back when freed.

const SEED_A = 0x9e3779b9;
const SEED_B = 0x7f4a7c15;
const TABLES = 64;
const TABLE_SHIFT = 26; // 32 − log2(TABLES)
const MAX_LOAD = 0.8;
const TWO_32 = 2 ** 32;

export interface IdTable {
  readonly size: number;
  has(id: string): boolean;
  /** Adds `id` with `value`; false when it was there already (the value is then left as it was). */
  add(id: string, value?: number): boolean;
  set(id: string, value: number): void;
  /** The id's value, or undefined when it is not in the table. */
  get(id: string): number | undefined;
}

interface Table {
  hi: Uint32Array;
  lo: Uint32Array;
  values: Float32Array;
  size: number;
}

function table(capacity: number): Table {
  const buffer = new ArrayBuffer(capacity * 12);
  return {
    hi: new Uint32Array(buffer, 0, capacity),
    lo: new Uint32Array(buffer, capacity * 4, capacity),
    values: new Float32Array(buffer, capacity * 8, capacity),
    size: 0,
  };
}

/** The slot holding key (a, b), or the empty slot where it would go; (0, 0) marks an empty slot. */
function slotOf(t: Table, a: number, b: number): number {
  const capacity = t.hi.length;
  // b scaled to the capacity (capacities are not powers of two); a's top bits chose the table
  let i = Math.floor((b / TWO_32) * capacity);
  while ((t.hi[i] !== 0 || t.lo[i] !== 0) && (t.hi[i] !== a || t.lo[i] !== b)) if (++i === capacity) i = 0;
  return i;
}

function grown(t: Table): Table {
  const next = table(Math.ceil(t.hi.length * 1.5));
  for (let j = 0; j < t.hi.length; j++) {
    if (t.hi[j] === 0 && t.lo[j] === 0) continue;
    const i = slotOf(next, t.hi[j], t.lo[j]);
    [next.hi[i], next.lo[i], next.values[i]] = [t.hi[j], t.lo[j], t.values[j]];
  }
  next.size = t.size;
  return next;
}

export function idTable(): IdTable {
  const tables = Array.from({ length: TABLES }, () => table(8));
  let size = 0;

  const find = (id: string) => {
    let a = hashString(id, SEED_A);
    const b = hashString(id, SEED_B);
    if (a === 0 && b === 0) a = 1;
    const t = tables[a >>> TABLE_SHIFT];
    const i = slotOf(t, a, b);
    return { t, i, a, b, found: t.hi[i] === a && t.lo[i] === b };
  };

  return {
    get size() {
      return size;
    },
    has: (id) => find(id).found,
    add(id, value = 0) {
      const { a, b, found, ...at } = find(id);
      if (found) return false;
      let { t, i } = at;
      if (t.size + 1 > t.hi.length * MAX_LOAD) {
        t = tables[a >>> TABLE_SHIFT] = grown(t);
        i = slotOf(t, a, b);
      }
      [t.hi[i], t.lo[i], t.values[i]] = [a, b, value];
      t.size += 1;
      size += 1;
      return true;
    },
    set(id, value) {
      if (!this.add(id, value)) {
        const { t, i } = find(id);
        t.values[i] = value;
      }
    },
    get(id) {
      const { t, i, found } = find(id);
      return found ? t.values[i] : undefined;
    },
  };
}
