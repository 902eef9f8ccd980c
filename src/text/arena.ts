// Strings kept for millions of clips cost ~40 bytes of heap overhead each as JS strings; packed as UTF-8
// in one growable buffer they cost their bytes plus a 4-byte offset, off the V8 heap.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface StringArena {
  /** Appends a string; returns its ordinal. */
  push(s: string): number;
  get(i: number): string;
  readonly size: number;
  /** Bytes of string data stored. */
  readonly used: number;
  /** Bytes allocated, offsets included. */
  readonly bytes: number;
}

export function stringArena(): StringArena {
  let buf = new Uint8Array(1 << 12);
  let used = 0;
  let ends = new Uint32Array(1 << 8);
  let count = 0;
  return {
    push(s) {
      const data = encoder.encode(s);
      if (used + data.length > buf.length) {
        const next = new Uint8Array(Math.max(buf.length * 2, used + data.length));
        next.set(buf.subarray(0, used));
        buf = next;
      }
      buf.set(data, used);
      used += data.length;
      if (count === ends.length) {
        const next = new Uint32Array(ends.length * 2);
        next.set(ends);
        ends = next;
      }
      ends[count] = used;
      return count++;
    },
    get(i) {
      return decoder.decode(buf.subarray(i === 0 ? 0 : ends[i - 1], ends[i]));
    },
    get size() {
      return count;
    },
    get used() {
      return used;
    },
    get bytes() {
      return buf.length + ends.byteLength;
    },
  };
}
