import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

// Fixed-width records of 32-bit words on disk, for the passes a dataset stage runs at the end over a whole
// corpus (partitioned hashing, grouping): appended in order with one buffered write per few thousand records,
// read back in order a chunk at a time, or one record at a time by index. Memory is the buffers, never the count.

export interface RecordFile {
  /** Words per record. */
  readonly width: number;
  readonly count: number;
  /** Appends one record (words past `width` are ignored). */
  push(a: number, b?: number, c?: number, d?: number): void;
  /** Appends the record of `width` words starting at `words[at]` (records wider than four words). */
  pushWords(words: ArrayLike<number>, at?: number): void;
  /** Every record in order, as views of one reused buffer: read each chunk before asking for the next. */
  chunks(records?: number): Generator<Uint32Array>;
  /** Record `i` into `out` (`width` words); `records` > 1 reads that many consecutive records. */
  read(i: number, out: Uint32Array, records?: number): void;
  /** Closes and removes the file; safe to call twice. */
  close(): void;
}

// A read chunk of 64 KB: reads of a megabyte and more, allocated and freed per pass, raised glibc's mmap threshold
// and left their freed memory in the heap, where a million-clip run's RSS kept it (tens of MB at the end).
const CHUNK_WORDS = 1 << 14;

const bytesOf = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function recordFile(path: string, width: number, bufferRecords = 4096): RecordFile {
  const fd = openSync(path, 'w+');
  const buf = new Uint32Array(bufferRecords * width);
  let filled = 0; // words in `buf`
  let written = 0; // bytes on disk
  let count = 0;
  let closed = false;

  const flush = () => {
    if (filled === 0) return;
    writeSync(fd, bytesOf(buf.subarray(0, filled)), 0, filled * 4, written);
    written += filled * 4;
    filled = 0;
  };

  return {
    width,
    get count() {
      return count;
    },
    push(a, b = 0, c = 0, d = 0) {
      buf[filled] = a;
      if (width > 1) buf[filled + 1] = b;
      if (width > 2) buf[filled + 2] = c;
      if (width > 3) buf[filled + 3] = d;
      filled += width;
      count += 1;
      if (filled === buf.length) flush();
    },
    pushWords(words, at = 0) {
      for (let k = 0; k < width; k++) buf[filled + k] = words[at + k];
      filled += width;
      count += 1;
      if (filled === buf.length) flush();
    },
    *chunks(records = Math.max(1, Math.floor(CHUNK_WORDS / width))) {
      flush();
      const chunk = new Uint32Array(records * width);
      const view = bytesOf(chunk);
      for (let position = 0; position < written;) {
        let n = 0;
        const want = Math.min(view.byteLength, written - position);
        while (n < want) n += readSync(fd, view, n, want - n, position + n);
        position += n;
        yield chunk.subarray(0, n / 4);
      }
    },
    read(i, out, records = 1) {
      flush();
      const bytes = records * width * 4;
      const view = new Uint8Array(out.buffer, out.byteOffset, bytes);
      let n = 0;
      while (n < bytes) {
        const got = readSync(fd, view, n, bytes - n, i * width * 4 + n);
        if (got === 0) throw new Error(`record ${i} is past the end of ${path}`);
        n += got;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
      rmSync(path, { force: true });
    },
  };
}

/**
 * Splits `source` into `parts` files by `partOf(record words, offset of the record)`, each keeping the source's
 * order. One pass; the caller closes the parts.
 */
export function partitionRecords(
  source: RecordFile,
  pathOf: (part: number) => string,
  parts: number,
  partOf: (words: Uint32Array, at: number) => number,
): RecordFile[] {
  const w = source.width;
  const out = Array.from({ length: parts }, (_, p) => recordFile(pathOf(p), w, 1024));
  try {
    for (const chunk of source.chunks()) {
      for (let at = 0; at < chunk.length; at += w) {
        out[partOf(chunk, at)].pushWords(chunk, at);
      }
    }
  } catch (error) {
    out.forEach((f) => f.close());
    throw error;
  }
  return out;
}

/** How many parts keep each under `perPart` records (at least one, at most `maxParts` open files). */
export function partsFor(records: number, perPart: number, maxParts = 512): number {
  return Math.max(1, Math.min(maxParts, Math.ceil(records / perPart)));
}
