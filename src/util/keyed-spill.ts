import { openSpill, type Spill } from './spill.js';

// Lines that belong together (one clip's findings from several dataset analyzers, a clip's late errors beside its
// early ones) arrive apart and must come out together, in key order. A Map would hold every one of them: a million
// repeated transcripts are a million lines. Here they go to disk and come back a key range at a time: lines are
// split by key range into parts of at most `keysPerPart` keys, and one part at a time is sorted in memory. A part's
// lines, their parsed keys and the tuples sorting them are garbage the moment the part is read: 16,384 keys (a few MB
// of strings) keep that garbage small, where 50,000 let a million-clip finish leave tens of MB of it for V8 to find.

const MAX_PARTS = 512;

export interface KeyedSpill {
  /** Appends a line (no newline inside) under a non-negative integer key. */
  append(key: number, line: string): void;
  readonly count: number;
  /** Each key's lines, keys ascending, a key's lines in the order appended; no appends after the first call. */
  groups(): Generator<[key: number, lines: string[]]>;
  /** Removes the files; safe to call twice. */
  close(): void;
}

export function openKeyedSpill(name: string, keysPerPart = 16_384): KeyedSpill {
  let all: Spill | undefined; // opened by the first line
  let parts: Spill[] | undefined; // made by the first read when the keys span more than one part
  let width = 1;
  let maxKey = -1;
  let sealed = false;

  function* sorted(lines: Iterable<string>): Generator<[number, string[]]> {
    const entries: [number, string][] = [];
    for (const l of lines) {
      const tab = l.indexOf('\t');
      entries.push([Number(l.slice(0, tab)), l.slice(tab + 1)]);
    }
    entries.sort((a, b) => a[0] - b[0]); // stable: a key's lines keep their order
    for (let i = 0; i < entries.length;) {
      const key = entries[i][0];
      const group: string[] = [];
      while (i < entries.length && entries[i][0] === key) group.push(entries[i++][1]);
      yield [key, group];
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
      const count = Math.min(MAX_PARTS, Math.ceil((maxKey + 1) / keysPerPart));
      if (count <= 1) {
        yield* sorted(all.lines());
        return;
      }
      if (!parts) {
        width = Math.ceil((maxKey + 1) / count);
        parts = Array.from({ length: count }, () => openSpill(`${name}-part`));
        for (const l of all.lines()) parts[Math.floor(Number(l.slice(0, l.indexOf('\t'))) / width)].append(l);
        all.close();
      }
      for (const part of parts) yield* sorted(part.lines());
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
