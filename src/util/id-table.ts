import { hashString } from '../text/hash.js';

// Clip ids of a whole corpus in a few bytes a slot instead of a JS Set/Map entry (~80 bytes and a string each):
// open addressing keyed by a 64-bit hash of the id, with value columns beside it (`words` of 32 bits, `bytes` of 8).
// Two distinct ids share a key with probability ~n²/2⁶⁵ (3·10⁻⁸ at a million clips), which would only merge their
// values. The slots are split in 64 tables by the hash's top bits, each grown by half when 80 % full: a table that
// doubled as one would hold old and new arrays at once (37 MB at half a million ids) and sit half empty after;
// here a growth copies 1/64 of the ids and the slots stay 53–80 % full (a 12-byte slot: 15–23 bytes an id). Each
// table is one allocation, past a few thousand ids large enough that malloc maps it apart and gives it back when freed.

const SEED_A = 0x9e3779b9;
const SEED_B = 0x7f4a7c15;
const TABLES = 64;
const TABLE_SHIFT = 26; // 32 − log2(TABLES)
const MAX_LOAD = 0.8;
const TWO_32 = 2 ** 32;

interface Table {
  hi: Uint32Array;
  lo: Uint32Array;
  /** Word column w of slot i at `w * capacity + i`; `floats` is the same memory read as 32-bit floats. */
  words: Uint32Array;
  floats: Float32Array;
  /** Byte column b of slot i at `b * capacity + i`. */
  bytes: Uint8Array;
  size: number;
}

/**
 * Ids with value columns. A slot (from `slot`) names one id's place until the next id is added (a growth moves
 * the slots of its table): read and write its columns through it, then let it go.
 */
export interface SlotTable {
  readonly size: number;
  /** The id's slot, or -1 when it is not in the table. */
  slot(id: string): number;
  /** The id's slot, added (its columns 0) when it was not there; `added` tells which. */
  insert(id: string): number;
  /** Whether the last `insert` added its id. */
  readonly added: boolean;
  word(slot: number, column: number): number;
  setWord(slot: number, column: number, value: number): void;
  /** Word column `column` read as a 32-bit float. */
  float(slot: number, column: number): number;
  setFloat(slot: number, column: number, value: number): void;
  byte(slot: number, column: number): number;
  setByte(slot: number, column: number, value: number): void;
}

function table(capacity: number, words: number, bytes: number): Table {
  const buffer = new ArrayBuffer(capacity * (8 + 4 * words + bytes));
  const wordsAt = capacity * 8;
  return {
    hi: new Uint32Array(buffer, 0, capacity),
    lo: new Uint32Array(buffer, capacity * 4, capacity),
    words: new Uint32Array(buffer, wordsAt, capacity * words),
    floats: new Float32Array(buffer, wordsAt, capacity * words),
    bytes: new Uint8Array(buffer, wordsAt + capacity * 4 * words, capacity * bytes),
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

function grown(t: Table, words: number, bytes: number): Table {
  const from = t.hi.length;
  const next = table(Math.ceil(from * 1.5), words, bytes);
  const to = next.hi.length;
  for (let j = 0; j < from; j++) {
    if (t.hi[j] === 0 && t.lo[j] === 0) continue;
    const i = slotOf(next, t.hi[j], t.lo[j]);
    next.hi[i] = t.hi[j];
    next.lo[i] = t.lo[j];
    for (let w = 0; w < words; w++) next.words[w * to + i] = t.words[w * from + j];
    for (let c = 0; c < bytes; c++) next.bytes[c * to + i] = t.bytes[c * from + j];
  }
  next.size = t.size;
  return next;
}

/** A table of ids with `words` 32-bit and `bytes` 8-bit value columns a slot. */
export function slotTable({ words = 0, bytes = 0 }: { words?: number; bytes?: number }): SlotTable {
  const tables = Array.from({ length: TABLES }, () => table(8, words, bytes));
  let size = 0;
  let added = false;
  // A slot is its table's index plus 64 times its place in that table.
  const tableOf = (slot: number) => tables[slot & (TABLES - 1)];
  const at = (slot: number) => slot >>> 6;

  // The last id looked up and its slot: the fold asks about one clip several times in a row. Only an added id
  // moves slots (a growth), and adding one makes it the last.
  let lastId: string | undefined;
  let lastSlot = -1;

  const find = (id: string, insert: boolean) => {
    if (id === lastId && (lastSlot !== -1 || !insert)) {
      added = false;
      return lastSlot;
    }
    lastId = id;
    lastSlot = locate(id, insert);
    return lastSlot;
  };

  const locate = (id: string, insert: boolean) => {
    let a = hashString(id, SEED_A);
    const b = hashString(id, SEED_B);
    if (a === 0 && b === 0) a = 1;
    const n = a >>> TABLE_SHIFT;
    let t = tables[n];
    let i = slotOf(t, a, b);
    added = false;
    if (t.hi[i] !== a || t.lo[i] !== b) {
      if (!insert) return -1;
      if (t.size + 1 > t.hi.length * MAX_LOAD) {
        t = tables[n] = grown(t, words, bytes);
        i = slotOf(t, a, b);
      }
      t.hi[i] = a;
      t.lo[i] = b;
      t.size += 1;
      size += 1;
      added = true;
    }
    return n + TABLES * i;
  };

  return {
    get size() {
      return size;
    },
    get added() {
      return added;
    },
    slot: (id) => find(id, false),
    insert: (id) => find(id, true),
    word: (slot, column) => tableOf(slot).words[column * tableOf(slot).hi.length + at(slot)],
    setWord(slot, column, value) {
      const t = tableOf(slot);
      t.words[column * t.hi.length + at(slot)] = value;
    },
    float: (slot, column) => tableOf(slot).floats[column * tableOf(slot).hi.length + at(slot)],
    setFloat(slot, column, value) {
      const t = tableOf(slot);
      t.floats[column * t.hi.length + at(slot)] = value;
    },
    byte: (slot, column) => tableOf(slot).bytes[column * tableOf(slot).hi.length + at(slot)],
    setByte(slot, column, value) {
      const t = tableOf(slot);
      t.bytes[column * t.hi.length + at(slot)] = value;
    },
  };
}

export interface IdTable {
  readonly size: number;
  has(id: string): boolean;
  /** Adds `id` with `value`; false when it was there already (the value is then left as it was). */
  add(id: string, value?: number): boolean;
  set(id: string, value: number): void;
  /** The id's value, or undefined when it is not in the table. */
  get(id: string): number | undefined;
}

/** Ids with one 32-bit float each (12 bytes a slot). */
export function idTable(): IdTable {
  const t = slotTable({ words: 1 });
  return {
    get size() {
      return t.size;
    },
    has: (id) => t.slot(id) !== -1,
    add(id, value = 0) {
      const s = t.insert(id);
      if (t.added) t.setFloat(s, 0, value);
      return t.added;
    },
    set: (id, value) => t.setFloat(t.insert(id), 0, value),
    get(id) {
      const s = t.slot(id);
      return s === -1 ? undefined : t.float(s, 0);
    },
  };
}
