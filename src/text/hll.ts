/**
 * Distinct count of 32-bit hashes in bounded memory: an exact hash set up to `EXACT_LIMIT` items (2 KiB),
 * then HyperLogLog with 2^10 one-byte registers (1 KiB, ±3 % typical error). Per-speaker vocabularies use
 * it so that thousands of speakers cost kilobytes each, not a word set each, and small ones stay exact.
 */
const EXACT_LIMIT = 256;
const P = 10;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

function hllAdd(reg: Uint8Array, hash: number) {
  const idx = hash >>> (32 - P);
  const rank = Math.min(Math.clz32((hash << P) | 0) + 1, 32 - P + 1);
  if (rank > reg[idx]) reg[idx] = rank;
}

function hllCount(reg: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (const r of reg) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = (ALPHA * M * M) / sum;
  return Math.round(raw <= 2.5 * M && zeros > 0 ? M * Math.log(M / zeros) : raw);
}

export function distinctCounter() {
  // Exact phase: open addressing over the hashes themselves; 0 marks an empty slot, so hash 0 is kept aside.
  let slots: Uint32Array | undefined = new Uint32Array(16);
  let size = 0;
  let zeroSeen = false;
  let reg: Uint8Array | undefined;

  const insert = (table: Uint32Array, h: number): boolean => {
    const mask = table.length - 1;
    let i = h & mask;
    while (table[i] !== 0) {
      if (table[i] === h) return false;
      i = (i + 1) & mask;
    }
    table[i] = h;
    return true;
  };

  return {
    add(hash: number) {
      const h = hash >>> 0;
      if (reg) return hllAdd(reg, h);
      if (h === 0 ? zeroSeen : !insert(slots!, h)) return;
      if (h === 0) zeroSeen = true;
      size += 1;
      if (size > EXACT_LIMIT) {
        reg = new Uint8Array(M);
        for (const x of slots!) if (x !== 0) hllAdd(reg, x);
        if (zeroSeen) hllAdd(reg, 0);
        slots = undefined;
      } else if (size * 2 > slots!.length) {
        const old = slots!;
        slots = new Uint32Array(old.length * 2);
        for (const x of old) if (x !== 0) insert(slots, x);
      }
    },
    /** Exact up to `EXACT_LIMIT` distinct items, an estimate past it. */
    count(): number {
      return reg ? hllCount(reg) : size;
    },
  };
}
