import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

// Per-clip records a dataset stage needs again only at the end (which clips were dropped and why, which clip a
// speaker's value belongs to) go to a file instead of the heap: a million clips then cost disk, not memory.
// Writes and reads are synchronous because they happen inside the synchronous fold of one clip; they are
// buffered, so a clip costs a memcpy, and the file is read once, in order.

const WRITE_BUFFER = 1 << 16;
// 64 KB: larger reads, allocated per pass, raise glibc's mmap threshold and leave freed memory in its heap.
const READ_CHUNK = 1 << 16;

export interface Spill {
  /** Appends one line (no newline inside); returns its 0-based index. */
  append(line: string): number;
  readonly count: number;
  /** Every line in the order appended. */
  lines(): Generator<string>;
  /** Removes the file; safe to call twice. */
  close(): void;
}

/** The start of the name of this thread's spill folders of one kind. */
export function spillPrefix(name: string): string {
  return `tts-audit-${name}-${process.pid}-${threadId}-`;
}

/** A temporary line file owned by whoever opens it; `close` removes it. */
export function openSpill(name: string): Spill {
  // The process and thread in the name: whose spill a leftover folder was, and runs side by side never collide.
  const dir = mkdtempSync(join(tmpdir(), `${spillPrefix(name)}`));
  const path = join(dir, 'spill.txt');
  const fd = openSync(path, 'w+');
  let buffered: string[] = [];
  let bufferedBytes = 0;
  let count = 0;
  let closed = false;

  const flush = () => {
    if (buffered.length === 0) return;
    writeSync(fd, buffered.join(''));
    buffered = [];
    bufferedBytes = 0;
  };

  return {
    append(line) {
      buffered.push(line + '\n');
      bufferedBytes += line.length + 1;
      if (bufferedBytes >= WRITE_BUFFER) flush();
      return count++;
    },
    get count() {
      return count;
    },
    *lines() {
      flush();
      // One buffer for the whole read: the unfinished line at a chunk's end moves to its front and the next read
      // goes after it (a concatenated copy per chunk was a native allocation a chunk).
      let chunk = Buffer.allocUnsafe(READ_CHUNK);
      let position = 0;
      let kept = 0; // bytes of an unfinished line at the front of `chunk`
      for (;;) {
        if (kept === chunk.length) chunk = Buffer.concat([chunk, Buffer.allocUnsafe(chunk.length)]); // a long line
        const n = readSync(fd, chunk, kept, chunk.length - kept, position);
        if (n === 0) break;
        position += n;
        const end = kept + n;
        let start = 0;
        let nl = chunk.indexOf(10, start);
        while (nl !== -1 && nl < end) {
          yield chunk.toString('utf8', start, nl);
          start = nl + 1;
          nl = chunk.indexOf(10, start);
        }
        kept = end - start;
        chunk.copyWithin(0, start, end);
      }
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
