import { openSpill, type Spill } from './spill.js';

// Lines that belong together (one clip's findings from several dataset analyzers, a clip's late errors beside its
// early ones) arrive apart and must come out together, in key order. A Map would hold every one of them: a million
// repeated transcripts are a million lines. Here they go to disk and come back a key range at a time: lines are
// split by key range into parts of at most `keysPerPart` keys, and one part at a time is put in key order.
// A part is sorted as an index (each line's key, offset and length in typed arrays, 16 bytes a line), never as its
// strings: a key's lines are read from the part's file and made strings only when that key is handed out, so what
// the consumer drops dies young. Holding a part's strings while its 16,384 keys were consumed kept them alive long
// enough to be promoted, and V8 let that old-space garbage grow the heap by ~150 MB at a million clips.

const MAX_PARTS = 512;
// Parts are written side by side (up to MAX_PARTS): each holds this much before writing.
const PART_WRITE_BUFFER = 1 << 14;
// Lines are read back a window at a time: a part is mostly in key order (the first analyzer's clips come in order).
const WINDOW = 1 << 16;
const TAB = 9;

export interface KeyedSpill {
  /** Appends a line (no newline inside) under a non-negative integer key. */
  append(key: number, line: string): void;
  readonly count: number;
  /** Each key's lines, keys ascending, a key's lines in the order appended; no appends after the first call. */
  groups(): Generator<[key: number, lines: string[]]>;
  /** Removes the files; safe to call twice. */
  close(): void;
}

/** The decimal key before the tab of a line `chunk[start, …)`, and where its text starts. */
function keyOf(chunk: Buffer, start: number): { key: number; text: number } {
  let key = 0;
  let i = start;
  for (let c = chunk[i]; c !== TAB; c = chunk[++i]) key = key * 10 + (c - 48);
  return { key, text: i + 1 };
}

/** Typed columns grown by half when full, kept across the parts of one read. */
function lineIndex() {
  let keys = new Uint32Array(1024);
  let at = new Float64Array(1024);
  let length = new Uint32Array(1024);
  let order = new Uint32Array(1024);
  let n = 0;
  return {
    get n() {
      return n;
    },
    clear: () => void (n = 0),
    push(key: number, position: number, bytes: number) {
      if (n === keys.length) {
        const grow = <T extends Uint32Array | Float64Array>(a: T, make: (size: number) => T) => {
          const b = make(Math.ceil(a.length * 1.5));
          b.set(a);
          return b;
        };
        keys = grow(keys, (s) => new Uint32Array(s));
        at = grow(at, (s) => new Float64Array(s));
        length = grow(length, (s) => new Uint32Array(s));
        order = new Uint32Array(keys.length);
      }
      keys[n] = key;
      at[n] = position;
      length[n] = bytes;
      n += 1;
    },
    /** Line numbers by key (keys relative to the part's first, below `width`), a key's lines in file order. */
    sort(width: number): { order: Uint32Array; starts: Uint32Array } {
      const starts = new Uint32Array(width + 1);
      for (let i = 0; i < n; i++) starts[keys[i] + 1] += 1;
      for (let k = 0; k < width; k++) starts[k + 1] += starts[k];
      const next = starts.slice(0, width);
      for (let i = 0; i < n; i++) order[next[keys[i]]++] = i;
      return { order, starts };
    },
    line: (i: number) => ({ position: at[i], bytes: length[i] }),
  };
}

/**
 * Lines of a file read by position through one window. A line just ahead of the window refills it (lines in order
 * cost one read a window); a line elsewhere is read alone (lines in no order cost one small read each, not a window).
 */
function windowReader(file: Spill) {
  let window = Buffer.allocUnsafe(WINDOW);
  let from = 0;
  let to = 0; // bytes of the file in the window: [from, to)
  return (position: number, bytes: number): string => {
    if (position < from || position + bytes > to) {
      const ahead = position >= from && position < to + WINDOW;
      const want = ahead ? Math.max(WINDOW, bytes) : bytes;
      if (want > window.length) window = Buffer.allocUnsafe(want);
      from = position;
      to = position + file.read(window, want, position);
    }
    return window.toString('utf8', position - from, position - from + bytes);
  };
}

export function openKeyedSpill(name: string, keysPerPart = 16_384): KeyedSpill {
  let all: Spill | undefined; // opened by the first line
  let parts: Spill[] | undefined; // made by the first read when the keys span more than one part
  let width = 1;
  let maxKey = -1;
  let sealed = false;

  /** A part's groups, keys ascending from `first`, fewer than `span` keys. */
  function* sorted(part: Spill, first: number, span: number, index: ReturnType<typeof lineIndex>) {
    index.clear();
    for (const { chunk, start, end, at } of part.spans()) {
      const { key, text } = keyOf(chunk, start);
      index.push(key - first, at + text - start, end - text);
    }
    const { order, starts } = index.sort(span);
    const read = windowReader(part);
    for (let k = 0; k < span; k++) {
      if (starts[k] === starts[k + 1]) continue;
      const group: string[] = [];
      for (let j = starts[k]; j < starts[k + 1]; j++) {
        const { position, bytes } = index.line(order[j]);
        group.push(read(position, bytes));
      }
      yield [first + k, group] as [number, string[]];
    }
  }

  return {
    append(key, line) {
      if (sealed) throw new Error(`keyed spill ${name}: append after read`);
      (all ??= openSpill(name)).append(`${key}\t${line}`);
      if (key > maxKey) maxKey = key;
    },
    get count() {
      return all?.count ?? 0;
    },
    *groups() {
      sealed = true;
      if (!all) return;
      const index = lineIndex();
      const count = Math.min(MAX_PARTS, Math.ceil((maxKey + 1) / keysPerPart));
      if (count <= 1) {
        yield* sorted(all, 0, maxKey + 1, index);
        return;
      }
      if (!parts) {
        width = Math.ceil((maxKey + 1) / count);
        parts = Array.from({ length: count }, () => openSpill(`${name}-part`, { writeBuffer: PART_WRITE_BUFFER }));
        for (const { chunk, start, end } of all.spans())
          parts[Math.floor(keyOf(chunk, start).key / width)].appendBytes(chunk, start, end);
        all.close();
      }
      for (let p = 0; p < parts.length; p++) yield* sorted(parts[p], p * width, width, index);
    },
    close() {
      all?.close();
      parts?.forEach((p) => p.close());
    },
  };
}

/**
 * Joins a keyed spill whose keys are line numbers of `rows` (a clip's ordinal in the ids' spill) to those lines,
 * reading both once in order: each key's row and its lines, for keys that have a row.
 */
export function* joinByLine(rows: Spill, keyed: KeyedSpill): Generator<[row: string, lines: string[]]> {
  const groups = keyed.groups();
  let next = groups.next();
  let line = 0;
  for (const row of rows.lines()) {
    if (next.done) return;
    if (next.value[0] === line) {
      yield [row, next.value[1]];
      next = groups.next();
    }
    line += 1;
  }
}
