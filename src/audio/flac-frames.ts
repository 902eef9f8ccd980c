// FLAC frames as the decoder hands them to libFLAC: each frame's header parsed and checked by its CRC-8, each
// frame by its CRC-16, so a damaged frame is found by us, never passed off by the library as the end of the file.

import { DecodeError, describeBytes } from './errors.js';

export const fourcc = (b: Uint8Array, o: number): string => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);

// FLAC's CRCs (header CRC-8, polynomial 0x07; frame CRC-16, polynomial 0x8005), table-driven. The CRC-16 runs
// over every byte of the file, so it takes two bytes a step: CRC16_HI[i] is the table entry of a byte followed by
// a zero byte, and one step is CRC16_HI[(crc >> 8) ^ b0] ^ CRC16[(crc & 0xff) ^ b1] (CRCs are linear).
const [CRC8, CRC16, CRC16_HI] = [new Uint8Array(256), new Uint16Array(256), new Uint16Array(256)];
for (let i = 0; i < 256; i++) {
  let [c8, c16] = [i, i << 8];
  for (let k = 0; k < 8; k++)
    [c8, c16] = [((c8 << 1) ^ (c8 & 0x80 ? 0x07 : 0)) & 0xff, ((c16 << 1) ^ (c16 & 0x8000 ? 0x8005 : 0)) & 0xffff];
  [CRC8[i], CRC16[i]] = [c8, c16];
}
for (let i = 0; i < 256; i++) CRC16_HI[i] = ((CRC16[i] << 8) & 0xffff) ^ CRC16[CRC16[i] >> 8];

/** The CRC-16 `crc` carried over bytes [from, to). */
function crc16(b: Uint8Array, from: number, to: number, crc: number): number {
  let p = from;
  for (const end = to - 1; p < end; p += 2) crc = CRC16_HI[(crc >> 8) ^ b[p]] ^ CRC16[(crc & 0xff) ^ b[p + 1]];
  if (p < to) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ b[p]];
  return crc;
}

interface FrameHeader {
  /** Blocking strategy, sample rate and sample size codes: the same in every frame of a stream. */
  fixed: number;
  blockSize: number;
  /** Frame number (fixed block size) or first sample number (variable): strictly increasing. */
  number: number;
}

/** The frame header at `p`, or null when the bytes there are not one (wrong sync, reserved codes, CRC-8). */
function frameHeader(b: Uint8Array, p: number): FrameHeader | null {
  if (p + 6 > b.length || b[p] !== 0xff || (b[p + 1] & 0xfe) !== 0xf8) return null;
  const [sizeCode, rateCode, chanCode, bitsCode] = [b[p + 2] >> 4, b[p + 2] & 15, b[p + 3] >> 4, (b[p + 3] >> 1) & 7];
  if (sizeCode === 0 || rateCode === 15 || chanCode > 10 || bitsCode === 3 || b[p + 3] & 1) return null;
  // The frame/sample number is UTF-8-style coded: the count of leading 1 bits is the length.
  let q = p + 4;
  const lead = b[q];
  const extra =
    lead < 0x80
      ? 0
      : lead < 0xc0
        ? -1
        : lead < 0xe0
          ? 1
          : lead < 0xf0
            ? 2
            : lead < 0xf8
              ? 3
              : lead < 0xfc
                ? 4
                : lead < 0xfe
                  ? 5
                  : lead === 0xfe
                    ? 6
                    : -1;
  if (extra < 0) return null;
  let number = lead & (0x7f >> extra);
  for (let k = 0; k < extra; k++) {
    const c = b[++q];
    if ((c & 0xc0) !== 0x80) return null;
    number = number * 64 + (c & 0x3f);
  }
  q++;
  let blockSize = sizeCode === 1 ? 192 : sizeCode <= 5 ? 576 << (sizeCode - 2) : 256 << (sizeCode - 8);
  if (sizeCode === 6 || sizeCode === 7) {
    if (q + sizeCode - 5 > b.length) return null;
    blockSize = (sizeCode === 6 ? b[q] : (b[q] << 8) | b[q + 1]) + 1;
    q += sizeCode - 5;
  }
  q += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (q >= b.length) return null;
  let crc = 0;
  for (let i = p; i < q; i++) crc = CRC8[crc ^ b[i]];
  if (crc !== b[q]) return null;
  return { fixed: ((b[p + 1] & 1) << 8) | ((b[p + 2] & 15) << 4) | (b[p + 3] & 0x0e), blockSize, number };
}

/**
 * Whole frames from `start`, each checked by its CRC-16, as offsets: frame i is bytes [bounds[i], bounds[i+1])
 * (numbers, not a view per frame: a 48 kHz hour holds 42,000 frames). Throws on a damaged frame; a last frame that
 * fails its CRC is what a cut file looks like, and is reported as `tailCut` instead of returned.
 */
export function splitFrames(
  b: Uint8Array,
  start: number,
  file: string,
): { bounds: number[]; samples: number; tailCut: boolean; needsHead: boolean } {
  const first = frameHeader(b, start);
  if (!first)
    throw new DecodeError(
      'audio.corrupt',
      file,
      `no FLAC frame header where the audio starts (byte ${start}: ${describeBytes(b.subarray(start))})`,
    );
  const bounds = [start];
  let [frameStart, last, crc, samples] = [start, first, 0, 0];
  // rejected: a later frame header at which the current frame failed its CRC; crcBeforeTag: the CRC up to
  // where an ID3v1 tag would start. The running CRC-16 of frameStart..p-1 is 0 when those bytes end with their CRC.
  let [rejected, crcBeforeTag] = [-1, -1];
  // Frames can only start at a 0xff byte: found with indexOf (memchr), the CRC carried over the bytes between.
  const tagAt = b.length - 128;
  for (let p = start; p < b.length;) {
    const sync = b.indexOf(0xff, p);
    const q = sync < 0 ? b.length : sync;
    if (tagAt >= p && tagAt <= q && tagAt < b.length) {
      crc = crc16(b, p, tagAt, crc);
      crcBeforeTag = crc;
      p = tagAt;
    }
    crc = crc16(b, p, q, crc);
    if (q === b.length) break;
    if (q > frameStart + 6) {
      const h = frameHeader(b, q);
      if (h && h.fixed === first.fixed && h.number > last.number) {
        if (crc === 0) {
          bounds.push(q);
          samples += last.blockSize;
          [frameStart, last, rejected] = [q, h, -1];
        } else if (rejected < 0) rejected = q;
      }
    }
    crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ b[q]];
    p = q + 1;
  }
  if (rejected >= 0)
    throw new DecodeError(
      'audio.corrupt',
      file,
      `FLAC frame ${bounds.length - 1} (byte ${frameStart}) is damaged: its CRC-16 does not match (next frame at byte ${rejected})`,
    );
  // The last frame ends at the file's end, or before a 128-byte ID3v1 tag some taggers append.
  const id3v1 = b.length - 128 > frameStart && fourcc(b, b.length - 128).startsWith('TAG');
  const tailOk = crc === 0 || (id3v1 && crcBeforeTag === 0);
  if (tailOk) bounds.push(crc === 0 ? b.length : b.length - 128);
  // needsHead: rate code 0 or sample-size code 0 mean "as in STREAMINFO".
  return {
    bounds,
    samples: samples + (tailOk ? last.blockSize : 0),
    tailCut: !tailOk,
    needsHead: (first.fixed & 0xf0) === 0 || (first.fixed & 0x0e) === 0,
  };
}
