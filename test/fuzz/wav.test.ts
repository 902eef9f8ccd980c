import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wavCodec } from '../../src/audio/wav.js';
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
  u16le,
  u32le,
} from '../helpers/fuzz.js';
import { REAL } from '../helpers/run.js';

// The WAV decoder under damaged and hostile input, from a real LJSpeech clip (44-byte canonical header: fmt body at
// 20, data size at 40, samples from 44). Every case must end in audio or a DecodeError naming the file.

const BASE = new Uint8Array(readFileSync(join(REAL, 'ljspeech', 'wavs', 'LJ001-0002.wav')));
const FILE = 'fuzz/LJ001-0002.wav';
const [TAG, CHANNELS, RATE, BYTE_RATE, BLOCK_ALIGN, BITS, DATA_SIZE, RIFF_SIZE, FMT_SIZE] = [
  20, 22, 24, 28, 32, 34, 40, 4, 16,
];

const both = decodeBoth(wavCodec, FILE);

const edited = (edit: (b: Uint8Array) => void) => editedCopy(BASE, edit);

describe('WAV decoder fuzz', () => {
  it('cut at every offset of the first 4 KB and at 100 offsets beyond', async () => {
    const counts = await cutTally(BASE, both);
    // Cut inside the header → corrupt; at the data chunk's start → empty; after it → audio reported truncated.
    expect(counts['audio.corrupt']).toBeGreaterThan(0);
    expect(counts['ok+audio.truncated']).toBeGreaterThan(4000);
  });

  it('bit flips in the header and anywhere', async () => {
    const answers: Answer[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          flipsArb(4).map((f) => f.map(({ at, bit }) => ({ at: at % 64, bit }))),
          flipsArb(16),
        ),
        async (flips) => {
          answers.push(await both(flipped(BASE, flips)));
        },
      ),
      fuzzRun(400),
    );
    expect(Object.keys(tally(answers)).length).toBeGreaterThan(2);
  });

  it('random bytes, bare and behind a RIFF/WAVE header', async () => {
    const riff = fc.uint8Array({ maxLength: 4096 }).map((body) => {
      const b = new Uint8Array(12 + body.length);
      b.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]);
      b.set(body, 12);
      return b;
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 4096 }), riff), async (bytes) => {
        await both(bytes);
      }),
      fuzzRun(400),
    );
  });

  it('absurd sample rates, channel counts, bit depths, block sizes and chunk sizes', async () => {
    const cases: [string, Uint8Array][] = [];
    for (const v of ABSURD.rates) cases.push([`rate ${v}`, edited((b) => u32le(b, RATE, v))]);
    for (const v of ABSURD.rates) cases.push([`byte rate ${v}`, edited((b) => u32le(b, BYTE_RATE, v))]);
    for (const tag of [0x1, 0x3, 0x6, 0x7, 0x11, 0xfffe, 0x2, 0xffff]) {
      for (const ch of ABSURD.channels)
        cases.push([`tag ${tag} ch ${ch}`, edited((b) => (u16le(b, TAG, tag), u16le(b, CHANNELS, ch)))]);
      for (const bits of ABSURD.bits)
        cases.push([`tag ${tag} bits ${bits}`, edited((b) => (u16le(b, TAG, tag), u16le(b, BITS, bits)))]);
      for (const align of [0, 1, 3, 4, 5, 256, 2048, 65535])
        cases.push([`tag ${tag} align ${align}`, edited((b) => (u16le(b, TAG, tag), u16le(b, BLOCK_ALIGN, align)))]);
    }
    for (const v of ABSURD.sizes) {
      cases.push([`data size ${v}`, edited((b) => u32le(b, DATA_SIZE, v))]);
      cases.push([`riff size ${v}`, edited((b) => u32le(b, RIFF_SIZE, v))]);
      cases.push([`fmt size ${v}`, edited((b) => u32le(b, FMT_SIZE, v))]);
    }
    // RF64 with a ds64 chunk in place of fmt: its 64-bit sizes are the header's to lie about.
    for (const v of ABSURD.sizes)
      cases.push([
        `rf64 ds64 ${v}`,
        (() => {
          const b = new Uint8Array(BASE.length + 36);
          b.set(BASE.subarray(0, 12));
          b.set([0x52, 0x46, 0x36, 0x34], 0);
          b.set([0x64, 0x73, 0x36, 0x34, 28, 0, 0, 0], 12);
          u32le(b, 28, v);
          u32le(b, 32, v);
          b.set(BASE.subarray(12), 48);
          return b;
        })(),
      ]);
    const answers: Answer[] = [];
    for (const [what, bytes] of cases) answers.push(await both(bytes, `fuzz/${what.replace(/ /g, '-')}.wav`));
    const counts = tally(answers);
    expect(counts['limits.sample_rate']).toBeGreaterThan(0);
    expect(counts['limits.channels']).toBeGreaterThan(0);
  });
});
