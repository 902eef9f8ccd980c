// Late findings and late drops are grouped on disk by key: what comes back must be what a Map of arrays would hold.

import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { tally } from '../src/pipeline/tally.js';
import { joinByLine, openKeyedSpill } from '../src/util/keyed-spill.js';
import { metricStats } from '../src/util/metric-stats.js';
import { openSpill, spillPrefix } from '../src/util/spill.js';

const mine = (name: string) => readdirSync(tmpdir()).filter((n) => n.startsWith(spillPrefix(name))).length;

describe('keyed spill', () => {
  it('joins its keys to the lines of another spill by line number, keys past the last line left out', () => {
    const rows = openSpill('join-rows');
    const keyed = openKeyedSpill('join-keys', 3);
    try {
      for (let i = 0; i < 10; i++) rows.append(`row ${i}`);
      for (const k of [9, 4, 0, 12, 4]) keyed.append(k, `line ${k}`);
      expect([...joinByLine(rows, keyed)]).toEqual([
        ['row 0', ['line 0']],
        ['row 4', ['line 4', 'line 4']],
        ['row 9', ['line 9']],
      ]);
    } finally {
      rows.close();
      keyed.close();
    }
  });

  it.each([1_000_000, 7])(
    'groups lines by key in key order, each key in append order (%i keys a part)',
    (keysPerPart) => {
      const before = mine('grouped') + mine('grouped-part');
      const s = openKeyedSpill('grouped', keysPerPart);
      const expected = new Map<number, string[]>();
      // keys out of order and repeated far apart, as several analyzers' findings on the same clips arrive
      for (let round = 0; round < 3; round++)
        for (let i = 0; i < 100; i++) {
          const key = (i * 37) % 101;
          if ((key + round) % 4 === 0) continue;
          const line = `k${key} r${round} \u00e9`;
          s.append(key, line);
          expected.set(key, [...(expected.get(key) ?? []), line]);
        }
      const want = [...expected].sort((a, b) => a[0] - b[0]);
      expect([...s.groups()]).toEqual(want);
      expect([...s.groups()]).toEqual(want); // read twice
      expect(() => s.append(1, 'late')).toThrow(/append after read/);
      s.close();
      s.close();
      expect(mine('grouped') + mine('grouped-part')).toBe(before);
    },
  );

  it("hands back lines longer than a part's write buffer and its read window, in any order", () => {
    const s = openKeyedSpill('long', 5);
    const expected = new Map<number, string[]>();
    for (let i = 0; i < 60; i++) {
      const key = (i * 13) % 23;
      // every fifth line is 100 KB, past the 16 KB a part buffers and the 64 KB window a part is read through
      const line = `${i}:${'\u00e9x'.repeat(i % 5 === 0 ? 50_000 : i)}`;
      s.append(key, line);
      expected.set(key, [...(expected.get(key) ?? []), line]);
    }
    expect([...s.groups()]).toEqual([...expected].sort((a, b) => a[0] - b[0]));
    s.close();
  });

  it('an empty spill has no groups and no file', () => {
    const before = mine('empty');
    const s = openKeyedSpill('empty');
    expect([...s.groups()]).toEqual([]);
    expect(mine('empty')).toBe(before);
    s.close();
  });
});

describe('spill', () => {
  it('reads back every line as written: lines across read chunks, a line longer than a chunk, non-ASCII text', () => {
    const s = openSpill('lines');
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i} ${'é'.repeat(i % 97)} «${'x'.repeat((i * 7) % 53)}»`);
    lines.splice(12_345, 0, 'long '.repeat(500_000)); // 2.5 MB: past the 1 MB read chunk
    lines.push('');
    for (const l of lines) s.append(l);
    expect([...s.lines()]).toEqual(lines);
    expect([...s.lines()]).toEqual(lines); // read as often as asked
    s.close();
  });
});

describe('late drops of a whole corpus', () => {
  it('joins every late error to its clip, in first-drop order, however many clips', () => {
    const t = tally(configSchema.parse({ severity: { 'text.duplicate': 'error', 'rate.outlier': 'error' } }));
    const n = 60_000; // keys past the 50,000 of one part, so the late records are split and read back a part at a time
    const origin = { file: 'metadata.csv', line: 1 };
    for (let i = 0; i < n; i += 2) t.clip(`c${i}`, origin, 1, [{ code: 'audio.corrupt', message: 'bad' }]);
    function* duplicates() {
      for (let i = 1; i < n; i++) yield { code: 'text.duplicate', message: 'again', clipId: `c${i}`, origin };
    }
    function* outliers() {
      for (let i = n - 1; i >= 0; i -= 3) yield { code: 'rate.outlier', message: 'fast', clipId: `c${i}`, origin };
    }
    const seen: number[] = [];
    t.late(duplicates(), (f) => seen.push(f.length));
    t.late(outliers());
    const r = t.finish(metricStats({ exactUpTo: 10 }));
    expect(seen.length).toBe(n - 1);
    expect(r.dropped.size).toBe(n);
    expect(r.findings['text.duplicate'].clips).toBe(n - 1);
    let index = 0;
    const wrong: string[] = []; // one assertion at the end: 60,000 `expect` calls cost more than the test
    for (const [id, d] of r.dropped.entries()) {
      // clips dropped early first (even ids), then the odd ones in the order the duplicates dropped them
      const i = index < n / 2 ? index * 2 : (index - n / 2) * 2 + 1;
      const codes = [...(i % 2 === 0 ? ['audio.corrupt'] : []), ...(i > 0 ? ['text.duplicate'] : [])];
      if ((n - 1 - i) % 3 === 0) codes.push('rate.outlier');
      const got = d.findings.map((f) => f.code).join();
      if (id !== `c${i}` || got !== codes.join()) wrong.push(`${index}: ${id} ${got}`);
      index += 1;
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(index).toBe(n);
    t.close();
  });
});
