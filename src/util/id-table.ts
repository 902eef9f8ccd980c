import { hashString } from '../text/hash.js';

// Clip ids of a whole corpus in 12 bytes a slot instead of a JS Set/Map entry (~80 bytes and a string each):
// an open-addressing table keyed by a 64-bit hash of the id, with one float per id. Two distinct ids share a key
// with probability ~n²/2⁶⁵ (3·10⁻⁸ at a million clips), which would only merge their durations.

const SEED_A = 0x9e3779b9;
const SEED_B = 0x7f4a7c15;

export interface IdTable {
  readonly size: number;
  has(id: string): boolean;
  /** Adds `id` with `value`; false when it was there already (the value is then left as it was). */
  add(id: string, value?: number): boolean;
  set(id: string, value: number): void;
  /** The id's value, or undefined when it is not in the table. */
  get(id: string): number | undefined;
}

export function idTable(initialCapacity = 1024): IdTable {
  let capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity * 2)));
  let hi = new Uint32Array(capacity);
  let lo = new Uint32Array(capacity);
  let values = new Float32Array(capacity);
  let size = 0;

  const keyOf = (id: string): [number, number] => {
    const a = hashString(id, SEED_A);
    const b = hashString(id, SEED_B);
    return a === 0 && b === 0 ? [0, 1] : [a, b]; // (0, 0) marks an empty slot
  };
  const slotOf = (a: number, b: number): number => {
    const mask = capacity - 1;
    let i = (a ^ Math.imul(b, 0x85ebca6b)) & mask;
    while ((hi[i] !== 0 || lo[i] !== 0) && (hi[i] !== a || lo[i] !== b)) i = (i + 1) & mask;
    return i;
  };
  const grow = () => {
    const [oldHi, oldLo, oldValues] = [hi, lo, values];
    capacity *= 2;
    hi = new Uint32Array(capacity);
    lo = new Uint32Array(capacity);
    values = new Float32Array(capacity);
    for (let j = 0; j < oldHi.length; j++) {
      if (oldHi[j] === 0 && oldLo[j] === 0) continue;
      const i = slotOf(oldHi[j], oldLo[j]);
      [hi[i], lo[i], values[i]] = [oldHi[j], oldLo[j], oldValues[j]];
    }
  };
  const find = (id: string) => {
    const [a, b] = keyOf(id);
    const i = slotOf(a, b);
    return { i, a, b, found: hi[i] === a && lo[i] === b };
  };

  return {
    get size() {
      return size;
    },
    has: (id) => find(id).found,
    add(id, value = 0) {
      if (2 * (size + 1) > capacity) grow();
      const { i, a, b, found } = find(id);
      if (found) return false;
      [hi[i], lo[i], values[i]] = [a, b, value];
      size += 1;
      return true;
    },
    set(id, value) {
      if (!this.add(id, value)) values[find(id).i] = value;
    },
    get(id) {
      const { i, found } = find(id);
      return found ? values[i] : undefined;
    },
  };
}
