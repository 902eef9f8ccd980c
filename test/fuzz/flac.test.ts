import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flacCodec } from '../../src/audio/flac.js';
import { flacAudioStart, flacFrames, resealFlac } from '../helpers/containers.js';
import {
  ABSURD,
  type Answer,
  cutTally,
  decodeBoth,
  editedCopy,
  flipped,
  flipsArb,
  fuzzRun,
  tally,
} from '../helpers/fuzz.js';
import { REAL } from '../helpers/run.js';

// The FLAC decoder under damaged and hostile input, from a real VCTK 0.92 clip (STREAMINFO body at byte 8, frames of
// 4096 samples). Flips are tried twice: as they fall (our CRC checks catch them) and with every frame's CRCs
// recomputed, so the damage reaches libFLAC itself.

const WHOLE = new Uint8Array(readFileSync(join(REAL, 'vctk', 'wav48_silence_trimmed', 'p225', 'p225_001_mic1.flac')));
const FILE = 'fuzz/p225_001_mic1.flac';
const AUDIO = flacAudioStart(WHOLE);
const FRAMES = flacFrames(WHOLE, AUDIO);
/** The metadata and the first 8 frames, STREAMINFO's total set to match: a short whole file that decodes fast. */
const BASE = (() => {
  const b = Uint8Array.from(WHOLE.subarray(0, FRAMES[7].end));
  setStreamInfo(b, { total: 8 * 4096 });
  return b;
})();
const BASE_FRAMES = FRAMES.slice(0, 8);

/** Writes STREAMINFO fields (rate 20 bits, channels-1 3, bits-1 5, total samples 36) of a stream starting `fLaC`. */
function setStreamInfo(b: Uint8Array, f: { rate?: number; channels?: number; bits?: number; total?: number }) {
  const d = 18;
  const rate = f.rate ?? (b[d] << 12) | (b[d + 1] << 4) | (b[d + 2] >> 4);
  const ch = (f.channels ?? ((b[d + 2] >> 1) & 7) + 1) - 1;
  const bits = (f.bits ?? (((b[d + 2] & 1) << 4) | (b[d + 3] >> 4)) + 1) - 1;
  const total = f.total ?? (b[d + 3] & 0x0f) * 2 ** 32 + new DataView(b.buffer, b.byteOffset).getUint32(d + 4);
  b[d] = (rate >> 12) & 0xff;
  b[d + 1] = (rate >> 4) & 0xff;
  b[d + 2] = ((rate & 15) << 4) | ((ch & 7) << 1) | ((bits >> 4) & 1);
  b[d + 3] = ((bits & 15) << 4) | (Math.floor(total / 2 ** 32) & 15);
  new DataView(b.buffer, b.byteOffset).setUint32(d + 4, total % 2 ** 32);
}

const both = decodeBoth(flacCodec, FILE);

const edited = (edit: (b: Uint8Array) => void, base = BASE) => editedCopy(base, edit);

describe('FLAC decoder fuzz', () => {
  it('cut at every offset of the first 4 KB and at 100 offsets beyond', async () => {
    const counts = await cutTally(WHOLE, both);
    expect(counts['audio.empty']).toBeGreaterThan(0);
    expect(counts['ok+audio.truncated']).toBeGreaterThan(0);
  });

  it('bit flips as they fall, caught by the CRCs', async () => {
    const answers: Answer[] = [];
    await fc.assert(
      fc.asyncProperty(flipsArb(8), async (flips) => {
        answers.push(await both(flipped(BASE, flips)));
      }),
      fuzzRun(150),
    );
    expect(tally(answers)['audio.corrupt']).toBeGreaterThan(100);
  });

  it('bit flips in the frames with their CRCs recomputed, so libFLAC meets them', async () => {
    const answers: Answer[] = [];
    await fc.assert(
      fc.asyncProperty(flipsArb(6), async (flips) => {
        answers.push(await both(resealFlac(flipped(BASE, flips, AUDIO), BASE_FRAMES)));
      }),
      fuzzRun(150),
    );
    expect(Object.keys(tally(answers)).length).toBeGreaterThan(1);
  });

  it('random bytes, bare, behind "fLaC", and behind the real metadata', async () => {
    const behind = (head: Uint8Array) =>
      fc.uint8Array({ maxLength: 4096 }).map((body) => Uint8Array.from([...head, ...body]));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 4096 }),
          behind(new Uint8Array([0x66, 0x4c, 0x61, 0x43])),
          behind(BASE.subarray(0, AUDIO)),
          behind(BASE.subarray(0, AUDIO + 2)), // a frame sync code, then noise
        ),
        async (bytes) => {
          await both(bytes);
        },
      ),
      fuzzRun(300),
    );
  });

  it('absurd STREAMINFO fields, metadata block sizes and frame headers', async () => {
    const cases: [string, Uint8Array][] = [];
    for (const rate of [0, 1, 999, 44100, 2 ** 20 - 1])
      cases.push([`rate ${rate}`, edited((b) => setStreamInfo(b, { rate }))]);
    for (const channels of [2, 8]) cases.push([`channels ${channels}`, edited((b) => setStreamInfo(b, { channels }))]);
    for (const bits of [1, 4, 8, 12, 24, 32]) cases.push([`bits ${bits}`, edited((b) => setStreamInfo(b, { bits }))]);
    for (const total of [0, 1, 2 ** 32 - 1, 2 ** 36 - 1])
      cases.push([`total ${total}`, edited((b) => setStreamInfo(b, { total }))]);
    for (const [at, v] of [
      [8, 0], // min block size 0
      [10, 0xff], // max block size 65535 (high byte)
      [12, 0xff], // min frame size 16 M
      [15, 0xff], // max frame size 16 M
    ])
      cases.push([`streaminfo byte ${at} = ${v}`, edited((b) => (b[at] = v))]);
    for (const size of [0, 33, 35, 2 ** 24 - 1])
      cases.push([`streaminfo length ${size}`, edited((b) => b.set([size >> 16, (size >> 8) & 0xff, size & 0xff], 5))]);
    for (const type of [1, 6, 127]) cases.push([`first block type ${type}`, edited((b) => (b[4] = type))]);
    // The second metadata block (VORBIS_COMMENT) claiming the rest of the world, and no block flagged last.
    const second = 4 + 4 + 34;
    cases.push(['comment length 16 M', edited((b) => b.set([0xff, 0xff, 0xff], second + 1))]);
    cases.push(['no last-block flag', edited((b) => (b[second] &= 0x7f))]);
    // A frame header with every block-size and rate code, its CRCs recomputed.
    for (let code = 0; code < 16; code++) {
      cases.push([
        `frame size code ${code}`,
        edited((b) => ((b[AUDIO + 2] = (code << 4) | (b[AUDIO + 2] & 15)), resealFlac(b, BASE_FRAMES))),
      ]);
      cases.push([
        `frame rate code ${code}`,
        edited((b) => ((b[AUDIO + 2] = (b[AUDIO + 2] & 0xf0) | code), resealFlac(b, BASE_FRAMES))),
      ]);
      cases.push([
        `frame channel code ${code}`,
        edited((b) => ((b[AUDIO + 3] = (code << 4) | (b[AUDIO + 3] & 15)), resealFlac(b, BASE_FRAMES))),
      ]);
    }
    // ID3v2 tags whose syncsafe sizes point anywhere, in front of the stream.
    for (const size of [0, 1, 0x0fffffff]) {
      const tag = [
        0x49,
        0x44,
        0x33,
        4,
        0,
        0,
        (size >> 21) & 0x7f,
        (size >> 14) & 0x7f,
        (size >> 7) & 0x7f,
        size & 0x7f,
      ];
      cases.push([`id3 ${size}`, Uint8Array.from([...tag, ...BASE])]);
    }
    cases.push([
      'id3 chain',
      Uint8Array.from(Array.from({ length: 400 }, () => [0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]).flat()),
    ]);
    for (const rate of ABSURD.rates.filter((r) => r < 2 ** 20))
      cases.push([`whole file rate ${rate}`, edited((b) => setStreamInfo(b, { rate }), WHOLE)]);
    const answers = new Map<string, Answer>();
    for (const [what, bytes] of cases) answers.set(what, await both(bytes, `fuzz/${what.replace(/ /g, '-')}.flac`));
    expect(tally([...answers.values()])['limits.sample_rate']).toBeGreaterThan(0);
    // A STREAMINFO at odds with the frames is a damaged header, not a mono clip reported as 8 channels.
    for (const what of ['channels 8', 'bits 24', 'rate 44100']) {
      const a = answers.get(what)!;
      expect('error' in a && a.error.message, what).toMatch(/STREAMINFO declares a .* but the frames hold/);
    }
  });
});
