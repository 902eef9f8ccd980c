import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { recordFile } from './records.js';

// Strings of a whole corpus (clip ids, folded transcripts) that an end-of-run pass reads back by ordinal:
// UTF-8 in one file, each end offset in another (8 bytes a string, so past 4 GiB too), so the heap holds
// two write buffers whatever the count.

const WRITE_BUFFER = 1 << 16;
const TWO_32 = 2 ** 32;
/** Reads go through a few cached blocks: the end-of-run passes read mostly in order, or one string many times. */
const BLOCK = 1 << 12;
const CACHED_BLOCKS = 64;

export interface DiskArena {
  /** Appends a string; returns its ordinal. */
  push(s: string): number;
  get(i: number): string;
  readonly size: number;
  /** Bytes of UTF-8 stored. */
  readonly used: number;
  close(): void;
}

export function diskArena(path: string): DiskArena {
  const fd = openSync(path, 'w+');
  const ends = recordFile(`${path}.ends`, 2);
  const buf = Buffer.alloc(WRITE_BUFFER);
  let filled = 0;
  let written = 0;
  let count = 0;
  let closed = false;
  const pair = new Uint32Array(4);
  const blocks = new Map<number, Buffer>(); // block start → bytes, oldest first

  const flush = () => {
    if (filled === 0) return;
    writeSync(fd, buf, 0, filled, written);
    written += filled;
    filled = 0;
    blocks.clear(); // the last cached block may have grown
  };
  const endOf = (lo: number, hi: number) => hi * TWO_32 + lo;

  /** Bytes [start, end) of the data file, through the cache when they lie in one block. */
  function bytes(start: number, end: number): Buffer {
    const first = Math.floor(start / BLOCK) * BLOCK;
    if (end > first + BLOCK) return readAt(start, end - start);
    let block = blocks.get(first);
    if (block) blocks.delete(first);
    else block = readAt(first, Math.min(BLOCK, written - first));
    blocks.set(first, block);
    if (blocks.size > CACHED_BLOCKS) blocks.delete(blocks.keys().next().value!);
    return block.subarray(start - first, end - first);
  }
  function readAt(position: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let n = 0; n < length;) n += readSync(fd, out, n, length - n, position + n);
    return out;
  }

  return {
    push(s) {
      const n = Buffer.byteLength(s);
      if (filled + n > buf.length) flush();
      if (n > buf.length) {
        writeSync(fd, s, written, 'utf8');
        written += n;
        blocks.clear();
      } else filled += buf.write(s, filled, 'utf8');
      const end = written + filled;
      ends.push(end % TWO_32, Math.floor(end / TWO_32));
      return count++;
    },
    get(i) {
      if (i < 0 || i >= count) throw new RangeError(`no string ${i} of ${count}`);
      flush();
      let start = 0;
      let end: number;
      if (i === 0) {
        ends.read(0, pair);
        end = endOf(pair[0], pair[1]);
      } else {
        ends.read(i - 1, pair, 2);
        start = endOf(pair[0], pair[1]);
        end = endOf(pair[2], pair[3]);
      }
      return bytes(start, end).toString('utf8');
    },
    get size() {
      return count;
    },
    get used() {
      return written + filled;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
      ends.close();
      rmSync(path, { force: true });
    },
  };
}
