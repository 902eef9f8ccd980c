import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcriptIndex, type TranscriptMatch } from '../src/text/near-duplicates.js';
import { spilledTranscriptIndex } from '../src/text/near-duplicates-disk.js';
import { diskArena } from '../src/util/disk-arena.js';
import { partitionRecords, recordFile } from '../src/util/records.js';
import { spillPrefix } from '../src/util/spill.js';
import { audit } from '../src/index.js';
import { SAMPLES, tempDir } from './helpers/run.js';

/** mulberry32: the same pseudo-random corpus on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Transcripts that strain the index: a small vocabulary (popular LSH buckets fill, clips share many bands, so
 * the ranking and the bucket capacity decide), planted exact repeats with case and spacing changed, one-word
 * edits, punctuation-only and empty lines, and one sentence said many times.
 */
function corpus(n: number, vocabulary: number, seed: number): [string, string][] {
  const rnd = random(seed);
  const words = Array.from({ length: vocabulary }, (_, i) => `w${(i * 7919).toString(36)}`);
  const pick = () => words[Math.floor(rnd() * words.length)];
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (i > 10 && r < 0.1) texts.push(`  ${texts[Math.floor(rnd() * i)].toUpperCase()}  `);
    else if (i > 10 && r < 0.25) {
      const w = texts[Math.floor(rnd() * i)].split(' ');
      w[Math.floor(rnd() * w.length)] = pick();
      texts.push(w.join(' ') + '!');
    } else if (r < 0.27) texts.push('The same line, again.');
    else if (r < 0.28) texts.push(rnd() < 0.5 ? '' : '?!');
    else texts.push(Array.from({ length: 2 + Math.floor(rnd() * 6) }, pick).join(' '));
  }
  return texts.map((t, i) => [`clip-${i}`, t]);
}

function inMemory(clips: [string, string][], maxIndexed: number) {
  const index = transcriptIndex({ threshold: 0.8, maxIndexed });
  const out: { id: string; match: TranscriptMatch }[] = [];
  for (const [id, text] of clips) {
    const match = index.observe(id, text);
    if (match) out.push({ id, match });
  }
  const { indexed, full } = index.stats();
  return { out, stats: { indexed, full } };
}

function onDisk(clips: [string, string][], maxIndexed: number) {
  const index = spilledTranscriptIndex({ threshold: 0.8, maxIndexed });
  clips.forEach(([id, text], i) => index.observe(id, text, `payload ${i}`));
  const out: { id: string; match: TranscriptMatch }[] = [];
  for (const { id, payload, match } of index.finish()) {
    expect(payload).toBe(`payload ${id.slice('clip-'.length)}`);
    out.push({ id, match });
  }
  return { out, stats: index.stats() };
}

const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith(spillPrefix('transcripts')));

describe('the transcript index on disk', () => {
  it('finds the same exact and near repeats, naming the same clips, as the in-memory index', () => {
    const before = leftovers().length;
    for (const [n, vocabulary, seed] of [
      [3000, 12, 1],
      [3000, 300, 2],
      [800, 4, 3],
    ]) {
      const clips = corpus(n, vocabulary, seed);
      const expected = inMemory(clips, 1_000_000);
      const kinds = new Set(expected.out.map((m) => m.match.kind));
      expect(kinds, `set ${seed}`).toEqual(new Set(['exact', 'near']));
      expect(expected.out.length, `set ${seed}`).toBeGreaterThan(n / 5);
      expect(onDisk(clips, 1_000_000)).toEqual(expected);
    }
    expect(leftovers().length).toBe(before);
  });

  it('fills at maxIndexedClips as the in-memory index does, and still compares later clips', () => {
    const clips = corpus(2000, 40, 4);
    for (const maxIndexed of [0, 1, 37, 900]) {
      const expected = inMemory(clips, maxIndexed);
      expect(expected.stats.full).toBe(true);
      expect(onDisk(clips, maxIndexed)).toEqual(expected);
    }
  });

  it('holds a hostile set of one transcript said 20,000 times: every later clip repeats the first', () => {
    const clips: [string, string][] = Array.from({ length: 20_000 }, (_, i) => [`clip-${i}`, 'Hello there.']);
    const { out, stats } = onDisk(clips, 1_000_000);
    expect(out).toHaveLength(19_999);
    expect(out.every((m) => m.match.kind === 'exact' && m.match.of === 'clip-0')).toBe(true);
    expect(stats).toEqual({ indexed: 1, full: false });
  });

  it('leaves nothing behind after an audit', async () => {
    const before = leftovers().length;
    const { report } = await audit({ source: SAMPLES, jobs: 1 });
    expect(report.dataset.textDiversity).toMatchObject({ nearDuplicates: { indexFull: false } });
    expect(leftovers().length).toBe(before);
  });

  it('removes its files when closed before finishing (a run that failed)', () => {
    const index = spilledTranscriptIndex({ threshold: 0.8, maxIndexed: 10 });
    index.observe('a', 'Some words here.');
    const mine = leftovers();
    expect(mine.length).toBeGreaterThan(0);
    index.close();
    index.close();
    for (const d of mine) expect(existsSync(join(tmpdir(), d)) && readdirSync(join(tmpdir(), d)).length).toBeFalsy();
  });
});

describe('records and strings on disk', () => {
  it('reads back what was written, in order, by index, and partitioned', () => {
    const dir = tempDir();
    const file = recordFile(join(dir, 'r'), 3, 7);
    for (let i = 0; i < 1000; i++) file.push(i, 2 ** 32 - 1 - i, i * 3);
    const seen: number[] = [];
    for (const chunk of file.chunks(64)) seen.push(...chunk);
    expect(seen).toHaveLength(3000);
    expect(seen.slice(2997)).toEqual([999, 2 ** 32 - 1000, 2997]);
    const one = new Uint32Array(6);
    file.read(500, one, 2);
    expect([...one]).toEqual([500, 2 ** 32 - 501, 1500, 501, 2 ** 32 - 502, 1503]);
    const parts = partitionRecords(
      file,
      (p) => join(dir, `p${p}`),
      3,
      (w, i) => w[i] % 3,
    );
    expect(parts.map((p) => p.count)).toEqual([334, 333, 333]);
    const firsts = [...parts[1].chunks()][0];
    expect([firsts[0], firsts[3], firsts[6]]).toEqual([1, 4, 7]);
    parts.forEach((p) => p.close());
    file.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps strings of any size and script by ordinal', () => {
    const dir = tempDir();
    const arena = diskArena(join(dir, 'a'));
    const strings = ['', 'é', 'x'.repeat(200_000), '日本語の文', '', 'last'];
    strings.forEach((s, i) => expect(arena.push(s)).toBe(i));
    expect(strings.map((_, i) => arena.get(i))).toEqual(strings);
    expect(arena.used).toBe(strings.reduce((a, s) => a + Buffer.byteLength(s), 0));
    expect(() => arena.get(6)).toThrow(RangeError);
    arena.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});
