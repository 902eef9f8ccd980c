import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/audio/decode.js';
import { opusCodec } from '../../src/audio/opus.js';
import { firstPages, oggPage, oggPages, oggSpanningPages, resealOgg } from '../helpers/containers.js';
import { ABSURD, type Answer, cutTally, decodeBoth, flipped, flipsArb, fuzzRun, tally } from '../helpers/fuzz.js';
import { REAL } from '../helpers/run.js';

// The Ogg Opus decoder under damaged and hostile input, from a real MLS clip (16 kHz OpusHead, pages of 1 s).
// Flips are tried as they fall (the page CRC-32 catches them) and with the CRCs recomputed, so damaged packets
// reach libopus; random packets are wrapped in valid pages for the same reason.

const WHOLE = new Uint8Array(
  readFileSync(join(REAL, 'mls', 'spanish', 'train', 'audio', '13697', '11991', '13697_11991_000000.opus')),
);
const FILE = 'fuzz/13697_11991_000000.opus';
/** OpusHead, OpusTags and four 1 s audio pages, the last one flagged end-of-stream: a short whole stream. */
const BASE = firstPages(WHOLE, 6);
const [HEAD_PAGE, TAGS_PAGE] = oggPages(BASE);
const SERIAL = new DataView(BASE.buffer).getUint32(14, true);
const HEAD = BASE.slice(HEAD_PAGE.start + 28, HEAD_PAGE.end); // the OpusHead packet (one segment on page 0)

const both = decodeBoth(opusCodec, FILE);

/** The base stream with page 0 holding `head` instead of its OpusHead. */
function withHead(head: Uint8Array): Uint8Array {
  const page = oggPage([head], { serial: SERIAL, sequence: 0, granule: 0n, flags: 2 });
  return Uint8Array.from([...page, ...BASE.subarray(HEAD_PAGE.end)]);
}

function head(edit: (h: Uint8Array, view: DataView) => void, family = 0, tail: number[] = []): Uint8Array {
  const h = Uint8Array.from([...HEAD.subarray(0, 18), family, ...tail]);
  edit(h, new DataView(h.buffer));
  return h;
}

/** The header pages, then audio pages holding `packets`, with granules as given (undefined: honest 20 ms steps). */
function stream(packets: Uint8Array[][], granules?: bigint[]): Uint8Array {
  const pages = packets.map((p, i) =>
    oggPage(p, {
      serial: SERIAL,
      sequence: i + 2,
      granule: granules?.[i] ?? BigInt(312 + 960 * packets.slice(0, i + 1).flat().length),
      flags: i === packets.length - 1 ? 4 : 0,
    }),
  );
  return Uint8Array.from([...BASE.subarray(0, TAGS_PAGE.end), ...pages.flatMap((p) => [...p])]);
}

describe('Ogg Opus decoder fuzz', () => {
  it('cut at every offset of the first 4 KB and at 100 offsets beyond', async () => {
    const counts = await cutTally(WHOLE, both);
    expect(counts['audio.empty']).toBeGreaterThan(0);
    expect(counts['ok+audio.truncated']).toBeGreaterThan(0);
  });

  it('bit flips as they fall, caught by the page CRCs', async () => {
    await fc.assert(
      fc.asyncProperty(flipsArb(8), async (flips) => {
        const a = await both(flipped(BASE, flips));
        expect('error' in a && a.error.code).toBe('audio.corrupt');
      }),
      fuzzRun(100),
    );
  });

  it('bit flips with the page CRCs recomputed, so libopus meets them', async () => {
    const answers: Answer[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          flipsArb(8),
          flipsArb(2).map((f) => f.map(({ at, bit }) => ({ at: at % 64, bit }))),
        ),
        async (flips) => {
          answers.push(await both(resealOgg(flipped(BASE, flips))));
        },
      ),
      fuzzRun(80),
    );
    expect(Object.keys(tally(answers)).length).toBeGreaterThan(1);
  });

  it('random bytes: bare, behind "OggS", and as packets in valid pages', async () => {
    const behind = (prefix: Uint8Array) =>
      fc.uint8Array({ maxLength: 4096 }).map((body) => Uint8Array.from([...prefix, ...body]));
    const packets = fc.array(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 1200 }), { minLength: 1, maxLength: 8 }),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 4096 }),
          behind(new Uint8Array([0x4f, 0x67, 0x67, 0x53])),
          behind(BASE.subarray(0, TAGS_PAGE.end)),
          packets.map((p) => stream(p)),
        ),
        async (bytes) => {
          await both(bytes);
        },
      ),
      fuzzRun(200),
    );
  });

  it('absurd OpusHead fields, channel mappings and granule positions', async () => {
    const cases: [string, Uint8Array][] = [];
    for (const ch of [0, 2, 3, 8, 65, 255]) cases.push([`channels ${ch}`, withHead(head((h) => (h[9] = ch)))]);
    for (const version of [1, 15, 16, 255]) cases.push([`version ${version}`, withHead(head((h) => (h[8] = version)))]);
    for (const rate of ABSURD.rates)
      cases.push([`input rate ${rate}`, withHead(head((h, v) => v.setUint32(12, rate >>> 0, true)))]);
    for (const skip of [0, 959, 65535])
      cases.push([`pre-skip ${skip}`, withHead(head((h, v) => v.setUint16(10, skip, true)))]);
    for (const gain of [-32768, 32767])
      cases.push([`gain ${gain}`, withHead(head((h, v) => v.setInt16(16, gain, true)))]);
    cases.push(['short OpusHead', withHead(HEAD.subarray(0, 12))]);
    // Channel mapping families 1 and 255: stream counts, coupled counts and table entries out of range.
    for (const family of [1, 2, 255])
      for (const [ch, streams, coupled, table] of [
        [1, 1, 0, [0]],
        [2, 0, 0, [0, 1]],
        [2, 1, 2, [0, 1]],
        [2, 1, 0, [5, 255]],
        [8, 255, 255, [0, 1, 2, 3, 4, 5, 6, 7]],
        [255, 1, 0, Array<number>(255).fill(0)],
        [3, 2, 1, []], // the table is missing
      ] as [number, number, number, number[]][])
        cases.push([
          `family ${family} ch ${ch} streams ${streams}/${coupled}`,
          withHead(head((h) => (h[9] = ch), family, [streams, coupled, ...table])),
        ]);
    // Granules: beyond any length, before the pre-skip, negative, and none at all (every page "no packet ends").
    const pages = oggPages(BASE).slice(2);
    const granuled = (g: (i: number) => bigint) => {
      const b = Uint8Array.from(BASE);
      pages.forEach((p, i) => new DataView(b.buffer).setBigUint64(p.start + 6, BigInt.asUintN(64, g(i)), true));
      return resealOgg(b);
    };
    for (const [what, g] of [
      ['huge', () => 2n ** 62n],
      ['2^32', (i: number) => 2n ** 32n + BigInt(i)],
      ['before pre-skip', () => 1n],
      ['negative', () => -5n],
      ['none', () => -1n],
      ['decreasing', (i: number) => BigInt(1_000_000 - i * 1000)],
    ] as [string, (i: number) => bigint][])
      cases.push([`granule ${what}`, granuled(g)]);
    // Many tiny packets whose last page declares 20 ms: the packets, not the granule, are what libopus decodes.
    const silent = new Uint8Array([0xfc, 0xff, 0xfe]); // CELT 20 ms frame, code 0
    cases.push(['200 packets, granule 20 ms', stream([Array<Uint8Array>(200).fill(silent)], [312n + 960n])]);
    cases.push(['200 packets, no granule', stream([Array<Uint8Array>(200).fill(silent)], [-1n])]);
    const answers = new Map<string, Answer>();
    for (const [what, bytes] of cases) answers.set(what, await both(bytes, `fuzz/${what.replace(/[ /]/g, '-')}.opus`));
    expect(tally([...answers.values()])['limits.channels']).toBeGreaterThan(0);
  });

  it('a comment packet spanning pages (cover art in the tags) is skipped, not decoded as audio', async () => {
    // ogg-opus-decoder took page 1 for the whole OpusTags and fed the rest to libopus: "offset is out of bounds".
    const tags = new Uint8Array(150_000).fill(0x41);
    tags.set(new TextEncoder().encode('OpusTags'));
    const tagPages = oggSpanningPages(tags, { serial: SERIAL, sequence: 1, granule: 0n });
    const audio = oggPages(BASE)
      .slice(2)
      .map(({ start, end }, i) => {
        const page = BASE.slice(start, end);
        new DataView(page.buffer).setUint32(18, tagPages.length + 1 + i, true);
        return resealOgg(page);
      });
    const bytes = Uint8Array.from([
      ...BASE.subarray(0, HEAD_PAGE.end),
      ...tagPages.flatMap((p) => [...p]),
      ...audio.flatMap((p) => [...p]),
    ]);
    expect(tagPages.length).toBe(3);
    const plain = await decodeBytes(BASE, FILE);
    const tagged = await decodeBytes(bytes, FILE);
    expect(tagged.problems).toEqual([]);
    expect(tagged.audio.samples).toEqual(plain.audio.samples);
  });
});
