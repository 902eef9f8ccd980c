// The fold keeps one slot a clip for everything it remembers about it: each column must read back what was
// written to it and to no other, for every clip, across the table's growths.

import { describe, expect, it } from 'vitest';
import { clipTable } from '../src/pipeline/clip-table.js';
import { slotTable } from '../src/util/id-table.js';

describe('clip table', () => {
  it('keeps duration, dropped key, late key and trimmed flag apart for 200,000 clips', () => {
    const t = clipTable();
    const n = 200_000;
    const id = (i: number) => `LJ${i}`;
    const wrong: string[] = []; // one assertion at the end: 200,000 `expect` calls cost more than the test
    const check = (ok: boolean, what: string) => void (ok || wrong.length > 5 || wrong.push(what));
    for (let i = 0; i < n; i++) {
      check(t.add(id(i)), `add ${i}`);
      t.setDuration(id(i), i / 8); // exact in a 32-bit float
      if (i % 3 === 0) check(t.drop(id(i), n + i), `drop ${i}`);
      if (i % 5 === 0) check(t.trim(id(i)), `trim ${i}`);
      if (i % 7 === 0) t.setLateKey(id(i), i >> 1);
    }
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const dropped = i % 3 === 0;
      check(!t.add(id(i)), `add again ${i}`);
      check(t.isDropped(id(i)) === dropped, `dropped ${i}`);
      // a dropped clip's duration was counted when it was dropped: its four bytes hold the key now
      check(t.duration(id(i)) === (dropped ? 0 : i / 8), `duration ${i}`);
      check(t.droppedKey(id(i)) === (dropped ? n + i : undefined), `key ${i}`);
      check(t.isTrimmed(id(i)) === (i % 5 === 0), `trimmed ${i}`);
      check(t.lateKey(id(i)) === (i % 7 === 0 ? i >> 1 : undefined), `late ${i}`);
    }
    expect(wrong).toEqual([]);
  });

  it('drops and trims a clip once, and leaves a later duration out of a dropped key', () => {
    const t = clipTable();
    t.setDuration('a', 2.5);
    expect(t.drop('a', 7)).toBe(true);
    expect(t.drop('a', 9)).toBe(false);
    t.setDuration('a', 3);
    expect(t.droppedKey('a')).toBe(7);
    expect(t.trim('a')).toBe(true);
    expect(t.trim('a')).toBe(false);
    expect(t.lateKey('a')).toBeUndefined();
    t.setLateKey('a', 0);
    expect(t.lateKey('a')).toBe(0);
    expect(t.has('b')).toBe(false);
    expect([t.duration('b'), t.droppedKey('b'), t.lateKey('b'), t.isDropped('b'), t.isTrimmed('b')]).toEqual([
      0,
      undefined,
      undefined,
      false,
      false,
    ]);
  });

  it('a slot table moves every column with its slot when it grows', () => {
    const t = slotTable({ words: 3, bytes: 2 });
    for (let i = 0; i < 50_000; i++) {
      const s = t.insert(`id${i}`);
      [0, 1, 2].forEach((w) => t.setWord(s, w, i * 3 + w));
      t.setByte(s, 0, i & 255);
      t.setByte(s, 1, (i >> 8) & 255);
    }
    const got = Array.from({ length: 50_000 }, (_, i) => {
      const s = t.slot(`id${i}`);
      return [t.word(s, 0), t.word(s, 1), t.word(s, 2), t.byte(s, 0) + 256 * t.byte(s, 1)];
    });
    expect(got.every(([a, b, c, d], i) => a === i * 3 && b === i * 3 + 1 && c === i * 3 + 2 && d === i % 65536)).toBe(
      true,
    );
    expect(t.slot('absent')).toBe(-1);
  });
});
