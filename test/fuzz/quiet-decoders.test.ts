import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/audio/decode.js';
import { rejection } from '../helpers/decode-errors.js';
import { flacAudioStart, flacFrames, flacHeaderLength, oggPage, oggPages, resealFlac } from '../helpers/containers.js';
import { REAL, ROOT, tempDir } from '../helpers/run.js';

// libFLAC's and libopus' WASM glue print each damaged frame to the console, naming no file (issue #11, item 7).
// A child process decodes a damaged FLAC and a damaged Opus whose damage only the libraries can see (checksums
// recomputed), and must write nothing at all; the same bytes through the bare packages do print, which shows the
// damage reaches them.

const work = tempDir('tts-audit-quiet-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A VCTK clip whose third frame's first subframe has a reserved type, its CRCs recomputed. */
function damagedFlac(): Uint8Array {
  const b = new Uint8Array(readFileSync(join(REAL, 'vctk', 'wav48_silence_trimmed', 'p225', 'p225_001_mic1.flac')));
  const frames = flacFrames(b, flacAudioStart(b));
  const third = frames[2].start;
  b[third + flacHeaderLength(b, third) + 1] = 0b0000_0100; // subframe type 000010: reserved
  return resealFlac(b, frames);
}

/** The MLS clip's header pages, then a page whose second packet claims 0 frames (TOC code 3, M = 0). */
function damagedOpus(): Uint8Array {
  const b = new Uint8Array(
    readFileSync(join(REAL, 'mls', 'spanish', 'train', 'audio', '13697', '11991', '13697_11991_000000.opus')),
  );
  const [, tags] = oggPages(b);
  const serial = new DataView(b.buffer).getUint32(14, true);
  const packets = [
    new Uint8Array([0xfc, 0xff, 0xfe]),
    new Uint8Array([0xfb, 0x00]),
    new Uint8Array([0xfc, 0xff, 0xfe]),
  ];
  const page = oggPage(packets, { serial, sequence: 2, granule: 312n + 3n * 960n, flags: 4 });
  return Uint8Array.from([...b.subarray(0, tags.end), ...page]);
}

const url = (...parts: string[]) => JSON.stringify(pathToFileURL(join(ROOT, ...parts)).href);
const SCRIPT = `
import { readFileSync } from 'node:fs';
const [mode, ...files] = process.argv.slice(2);
if (mode === 'ours') {
  const { decodeBytes } = await import(${url('src', 'audio', 'decode.ts')});
  for (const file of files) {
    const failed = await decodeBytes(readFileSync(file), file).then(() => false, (e) => e.name === 'DecodeError');
    if (!failed) process.exitCode = 3;
  }
} else {
  // The packages alone, fed the same frames and packets our decoders hand them.
  const { FLACDecoder } = await import(${url('node_modules', '@wasm-audio-decoders', 'flac', 'index.js')});
  const { OpusDecoder } = await import(${url('node_modules', 'opus-decoder', 'index.js')});
  const flac = new FLACDecoder();
  await flac.ready;
  await flac.decode(readFileSync(files[0]));
  const opus = new OpusDecoder({ channels: 1 });
  await opus.ready;
  opus.decodeFrames([new Uint8Array([0xfb, 0x00])]);
}
`;

function child(mode: 'ours' | 'bare', files: string[]) {
  const script = join(work, 'decode.mts');
  writeFileSync(script, SCRIPT);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, mode, ...files], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('decoding is quiet', () => {
  const flac = join(work, 'damaged.flac');
  const opus = join(work, 'damaged.opus');
  writeFileSync(flac, damagedFlac());
  writeFileSync(opus, damagedOpus());

  it('the damage is one only libFLAC and libopus see, and each error names the file', async () => {
    const f = await rejection(decodeBytes(readFileSync(flac), 'damaged.flac'));
    expect(f.message).toMatch(/^damaged\.flac: libFLAC: .*FLAC__STREAM_DECODER_ERROR/);
    const o = await rejection(decodeBytes(readFileSync(opus), 'damaged.opus'));
    expect(o.message).toMatch(/^damaged\.opus: libopus -4 OPUS_INVALID_PACKET.*\(Opus packet 1,/);
  });

  it('a damaged FLAC and a damaged Opus decoded in a child process write nothing to stdout or stderr', () => {
    expect(child('ours', [flac, opus])).toEqual({ code: 0, out: '' });
  });

  it('the same bytes through the bare packages do print (what the test above guards against)', () => {
    const { code, out } = child('bare', [flac]);
    expect(code).toBe(0);
    expect(out).toMatch(/@wasm-audio-decoders\/flac/);
    expect(out).toMatch(/libopus -4/);
  });
});
