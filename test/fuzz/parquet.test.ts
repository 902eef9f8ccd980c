import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ljShard } from '../../scripts/make-hub-fixtures.js';
import { decodeAudioRef } from '../../src/audio/decode.js';
import { audit } from '../../src/index.js';
import { rowGroupDeadline } from '../../src/sources/hub/row-reader.js';
import { parquet } from '../../src/sources/parquet.js';
import { collectItems } from '../helpers/collect.js';
import { answer, bounded, cutOffsets, fuzzRun } from '../helpers/fuzz.js';
import { readAll, type ReadOutcome } from '../helpers/fuzz-sources.js';
import { REAL, tempDir } from '../helpers/run.js';

// Local parquet shards (the `parquet` source; the `hub` source reads rows the same way) built from the real LJSpeech
// clips, two rows per row group, then damaged: a data page that hyparquet rejects ("missing eof marker") or loops on,
// a second shard whose footer is gone, and seeded flips, cuts and random bytes over pages and footer. Each must end in
// utterances and `source.unreadable_shard` findings naming the file (and rows), with the other shards' clips read.

const work = tempDir('tts-audit-fuzz-parquet-');
const LJ_ROWS = readFileSync(join(REAL, 'ljspeech', 'metadata.csv'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split('|'));
const root = join(work, 'lj');
const [SHARD0, SHARD1] = ['main/train/0000.parquet', 'main/train/0001.parquet'];
let clean: Buffer;
/** Byte offsets of the first page of each column chunk, and where the footer starts. */
let chunkStarts: number[];
let footerStart: number;

beforeAll(() => {
  ljShard(join(root, SHARD0), LJ_ROWS.slice(0, 4));
  ljShard(join(root, SHARD1), LJ_ROWS.slice(4)); // LJ001-0005…0007: row groups of rows 0–1 and 2
  clean = readFileSync(join(root, SHARD1));
  const metadata = parquetMetadata(Uint8Array.from(clean).buffer);
  chunkStarts = metadata.row_groups.flatMap((g) => g.columns.map((c) => Number(c.meta_data!.data_page_offset)));
  footerStart = clean.length - 8 - clean.readUInt32LE(clean.length - 8);
  rowGroupDeadline.ms = 1500; // a damaged page that sends hyparquet into a loop costs this, not the test's time
});
afterEach(() => writeFileSync(join(root, SHARD1), clean));
afterAll(() => {
  rowGroupDeadline.ms = 120_000;
  rmSync(work, { recursive: true, force: true });
});

/** The second shard with `edit` applied; the first stays whole. */
function damage(edit: (b: Buffer) => Buffer | void): void {
  const b = Buffer.from(clean);
  writeFileSync(join(root, SHARD1), edit(b) ?? b);
}

const AUDIO_PAGE = () => chunkStarts[1]; // row group 0, column audio.bytes

describe('parquet shards that cannot be read', () => {
  it('a damaged data page ("missing eof marker") is a finding naming the file and rows; the rest is read', async () => {
    damage((b) => void (b[AUDIO_PAGE() + 8] ^= 0x10));
    // This page fails at once, it never loops: under a loaded machine the short deadline could fire first and
    // name the wrong cause, so the decoder gets its full time here.
    rowGroupDeadline.ms = 120_000;
    const { utterances, findings } = await collectItems(parquet, root).finally(() => (rowGroupDeadline.ms = 1500));
    expect(utterances.map((u) => u.id)).toEqual(['LJ001-0001', 'LJ001-0002', 'LJ001-0003', 'LJ001-0004', 'LJ001-0007']);
    expect(findings).toEqual([
      {
        code: 'source.unreadable_shard',
        severity: 'error',
        message: `${SHARD1} rows 0–1 (row group 0): cannot be read (missing eof marker); these rows are skipped`,
        origin: { file: SHARD1, row: 0 },
      },
    ]);
  });

  it('a page on which hyparquet loops for ever is given up at the deadline, and the next row group read', async () => {
    // A flipped bit in the v2 page header drops definition_levels_byte_length: hyparquet's read offset becomes NaN.
    damage((b) => void (b[AUDIO_PAGE() + 11] ^= 0x10));
    const { utterances, findings } = await bounded('loop', () => collectItems(parquet, root));
    expect(utterances.map((u) => u.id).slice(-1)).toEqual(['LJ001-0007']);
    expect(findings.map((f) => f.message)).toEqual([
      `${SHARD1} rows 0–1 (row group 0): cannot be read (decoding did not finish within 1.5 s); these rows are skipped`,
    ]);
  });

  it("a corrupt second shard: the first shard's clips are audited and reported, the second is a finding", async () => {
    damage((b) => b.subarray(0, footerStart + 40));
    const out = join(work, 'audit');
    const { report } = await audit({ source: root, out, jobs: 1 });
    const clips = readFileSync(join(out, 'clips.jsonl'), 'utf8').trim().split('\n');
    expect(clips.map((l) => JSON.parse(l).id)).toEqual(['LJ001-0001', 'LJ001-0002', 'LJ001-0003', 'LJ001-0004']);
    expect(report.sourceFindings.map((f) => [f.code, f.message.split(' (')[0]])).toEqual([
      ['source.unreadable_shard', `${SHARD1}: not a readable parquet file`],
    ]);
  });
});

describe('parquet fuzz', () => {
  // The damaged shard alone (named as the manifest), so that each case pays for one decoding thread, not two.
  const check = async (): Promise<ReadOutcome> => {
    const outcome = await readAll(parquet, root, { manifest: SHARD1 }, [SHARD1]);
    // inspect takes the first shard that opens: with the whole first one beside it, the run always starts.
    await bounded('inspect', () => parquet.inspect(root, {}));
    return outcome;
  };

  it('cut at every offset of the first 64 bytes and at 100 offsets beyond', async () => {
    // Parquet is read from its end: any cut loses the footer and its magic, so the answer is the same wherever the
    // cut falls, and 4 KB of cuts through the first page would add time, not coverage.
    const offsets = cutOffsets(clean.length, 64, 100);
    for (const at of offsets) {
      damage((b) => b.subarray(0, at));
      const o = await readAll(parquet, root, { manifest: SHARD1 }, [SHARD1]);
      expect(o.findings.map((f) => f.code)).toEqual(['source.unreadable_shard']);
    }
  });

  it('flips in page headers and the footer, cuts, and random bytes between the magic numbers', async () => {
    const outcomes: ReadOutcome[] = [];
    const structural = fc
      .array(fc.tuple(fc.nat(), fc.nat(63), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 })
      .map((flips) => (b: Buffer) => {
        for (const [which, off, bit] of flips) {
          const starts = [...chunkStarts, footerStart, footerStart + 64, footerStart + 256];
          const at = Math.min(starts[which % starts.length] + off, b.length - 9);
          b[at] ^= 1 << bit;
        }
      });
    const cut = fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % b.length));
    const noise = fc
      .uint8Array({ maxLength: 4096 })
      .map(
        (body) => () =>
          Buffer.concat([Buffer.from('PAR1'), body, Buffer.from([body.length & 255, 0, 0, 0]), Buffer.from('PAR1')]),
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(structural, cut, noise), async (edit) => {
        damage(edit);
        outcomes.push(await check());
      }),
      fuzzRun(30),
    );
    // A damaged shard never stops the read: its rows are clips or findings.
    expect(outcomes.every((o) => o.refused === undefined)).toBe(true);
    expect(outcomes.some((o) => o.utterances > 0)).toBe(true);
    expect(outcomes.some((o) => o.findings.some((f) => f.code === 'source.unreadable_shard'))).toBe(true);
  });

  it('decoded {array} audio with NaN, infinities and absurd rates is a DecodeError naming the clip, or audio', async () => {
    const samples = fc.array(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0)), { maxLength: 3000 });
    const rate = fc.oneof(fc.constantFrom(0, -1, NaN, 1, 16000, 2 ** 32), fc.double());
    await fc.assert(
      fc.asyncProperty(samples, rate, async (values, sampleRate) => {
        const name = 'rows/7.wav';
        await answer(name, () => decodeAudioRef({ kind: 'pcm', samples: Float32Array.from(values), sampleRate, name }));
      }),
      fuzzRun(200),
    );
  });
});
