import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

// Per-clip records a dataset stage needs again only at the end (which clips were dropped and why, which clip a
// speaker's value belongs to) go to a file instead of the heap: a million clips then cost disk, not memory.
// Writes and reads are synchronous because they happen inside the synchronous fold of one clip; they are
// buffered, so a clip costs a memcpy, and the file is read once, in order.
// Lines are encoded into a byte buffer as they are appended, not queued as strings: a queued string lives until the
// buffer is written, long enough for V8 to promote it to the old space, where it stays as garbage until a full
// collection (a keyed spill's parts each hold a buffer while a whole corpus' lines go through them).

const WRITE_BUFFER = 1 << 16;
// 64 KB: larger reads, allocated per pass, raise glibc's mmap threshold and leave freed memory in its heap.
const READ_CHUNK = 1 << 16;

/** One line of a spill as bytes: `chunk[start, end)`, at byte `at` of the file; the chunk is reused by the next line. */
export interface LineSpan {
  chunk: Buffer;
  start: number;
  end: number;
  at: number;
}

export interface Spill {
  /** Appends one line (no newline inside); returns its 0-based index. */
  append(line: string): number;
  /** Appends `chunk[start, end)` as one line (no newline inside); returns its 0-based index. */
  appendBytes(chunk: Buffer, start: number, end: number): number;
  readonly count: number;
  /** Every line in the order appended. */
  lines(): Generator<string>;
  /** Every line's bytes in the order appended, without making strings: one span object, updated line by line. */
  spans(): Generator<LineSpan>;
  /** Reads up to `length` bytes at byte `position` of the file into `into` (from 0); returns how many. */
  read(into: Buffer, length: number, position: number): number;
  /** Removes the file; safe to call twice. */
  close(): void;
}

/** The start of the name of this thread's spill folders of one kind. */
export function spillPrefix(name: string): string {
  return `tts-audit-${name}-${process.pid}-${threadId}-`;
}

/**
 * A temporary line file owned by whoever opens it; `close` removes it. `writeBuffer` bytes are held until written
 * (a spill split in hundreds of parts gives each a smaller one).
 */
export function openSpill(name: string, { writeBuffer = WRITE_BUFFER } = {}): Spill {
  // The process and thread in the name: whose spill a leftover folder was, and runs side by side never collide.
  const dir = mkdtempSync(join(tmpdir(), `${spillPrefix(name)}`));
  const path = join(dir, 'spill.txt');
  const fd = openSync(path, 'w+');
  let out: Buffer | undefined; // allocated by the first line
  let used = 0;
  let count = 0;
  let closed = false;

  const flush = () => {
    if (used === 0) return;
    writeSync(fd, out!, 0, used);
    used = 0;
  };
  /** Room for `bytes` more in the buffer, or false when a line that long is written past it. */
  const room = (bytes: number) => {
    if (used + bytes > writeBuffer) flush();
    if (bytes > writeBuffer) return false;
    out ??= Buffer.allocUnsafe(writeBuffer);
    return true;
  };

  function* spans(): Generator<LineSpan> {
    flush();
    // One buffer for the whole read: the unfinished line at a chunk's end moves to its front and the next read
    // goes after it (a concatenated copy per chunk was a native allocation a chunk).
    const span: LineSpan = { chunk: Buffer.allocUnsafe(READ_CHUNK), start: 0, end: 0, at: 0 };
    let position = 0;
    let kept = 0; // bytes of an unfinished line at the front of the chunk
    for (;;) {
      if (kept === span.chunk.length) span.chunk = Buffer.concat([span.chunk, Buffer.allocUnsafe(kept)]); // a long line
      const { chunk } = span;
      const n = readSync(fd, chunk, kept, chunk.length - kept, position);
      if (n === 0) break;
      const base = position - kept; // the file offset of chunk[0]
      position += n;
      const end = kept + n;
      let start = 0;
      let nl = chunk.indexOf(10, start);
      while (nl !== -1 && nl < end) {
        span.start = start;
        span.end = nl;
        span.at = base + start;
        yield span;
        start = nl + 1;
        nl = chunk.indexOf(10, start);
      }
      kept = end - start;
      chunk.copyWithin(0, start, end);
    }
  }

  return {
    append(line) {
      // a UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4)
      if (room(line.length * 3 + 1)) {
        used += out!.write(line, used);
        out![used++] = 10;
      } else writeSync(fd, line + '\n');
      return count++;
    },
    appendBytes(chunk, start, end) {
      if (room(end - start + 1)) {
        used += chunk.copy(out!, used, start, end);
        out![used++] = 10;
      } else {
        writeSync(fd, chunk, start, end - start);
        writeSync(fd, '\n');
      }
      return count++;
    },
    get count() {
      return count;
    },
    *lines() {
      for (const s of spans()) yield s.chunk.toString('utf8', s.start, s.end);
    },
    spans,
    read(into, length, position) {
      flush();
      let done = 0;
      while (done < length) {
        const n = readSync(fd, into, done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A spill of JSON values, read back parsed, in the order appended. */
export interface JsonSpill<T> {
  append(value: T): void;
  readonly count: number;
  values(): Generator<T>;
  close(): void;
}

/** Opens its file on the first value: most runs have nothing to spill. */
export function openJsonSpill<T>(name: string): JsonSpill<T> {
  let spill: Spill | undefined;
  return {
    append: (value) => void (spill ??= openSpill(name)).append(JSON.stringify(value)),
    get count() {
      return spill?.count ?? 0;
    },
    *values() {
      if (spill) for (const line of spill.lines()) yield JSON.parse(line) as T;
    },
    close: () => spill?.close(),
  };
}
