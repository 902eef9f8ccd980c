// Ogg (RFC 3533) → the packets of its one logical stream, every page checked on the way.
//
// We walk the pages ourselves rather than through a library's Ogg parser because (measured, ogg-opus-decoder 1.7 /
// codec-parser 2.5): it does not check page CRCs, and Opus packets have no checksum of their own, so damaged bytes
// decode to noise; it takes page 0 as the header and page 1 as the comments by their sequence numbers, so a comment
// packet spanning pages (cover art in the tags) is fed to the decoder as audio and a damaged sequence number crashes
// it; and a file cut short decodes without any sign of it. Here a cut is reported, and a lost page is damage.

import { DecodeError, describeBytes } from './errors.js';

export interface OggStream {
  /** The stream's packets in order, header packets included; each one whole (pieces spanning pages joined). */
  packets: Uint8Array[];
  /** Last granule position; -1 if no page carries one. Its unit is the codec's (48 kHz samples for Opus). */
  endGranule: number;
  /** Why the stream looks cut short, if it does; the packets are those of the complete pages. */
  cut?: string;
}

const CRC32 = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  CRC32[i] = c >>> 0;
}
const ZERO4 = new Uint8Array(4);

function crc32(b: Uint8Array, from: number, to: number, crc: number): number {
  for (let i = from; i < to; i++) crc = ((crc << 8) ^ CRC32[((crc >>> 24) ^ b[i]) & 0xff]) >>> 0;
  return crc;
}

export const ascii = (b: Uint8Array, o: number, n: number): string => String.fromCharCode(...b.subarray(o, o + n));
export const u32 = (b: Uint8Array, o: number): number =>
  (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

const FLAG_CONTINUED = 0x01;
const FLAG_EOS = 0x04;

/** Checks every page (capture pattern, CRC-32, one logical stream, no page lost) and joins its packets. */
export function readOgg(b: Uint8Array, file: string): OggStream {
  const corrupt = (why: string) => new DecodeError('audio.corrupt', file, why);
  const packets: Uint8Array[] = [];
  let pieces: Uint8Array[] = []; // the packet still open at the end of the last page
  let [pos, page, serial, firstSequence, endGranule, eos] = [0, 0, -1, 0, -1, false];
  let cut: string | undefined;
  for (; pos < b.length; page++) {
    if (pos + 27 > b.length) {
      cut = `the file ends inside the header of Ogg page ${page} (byte ${pos})`;
      break;
    }
    if (ascii(b, pos, 4) !== 'OggS') {
      throw corrupt(
        page === 0
          ? `not an Ogg stream (first bytes ${describeBytes(b)})`
          : `no Ogg page where page ${page} should start (byte ${pos})`,
      );
    }
    const segments = b[pos + 26];
    const bodyStart = pos + 27 + segments;
    let size = 27 + segments;
    for (let s = 0; s < segments && pos + 27 + s < b.length; s++) size += b[pos + 27 + s];
    if (pos + size > b.length) {
      cut = `the file ends inside Ogg page ${page} (${b.length - pos} of ${size} bytes present)`;
      break;
    }
    // The CRC covers the page with its own CRC field read as zeros.
    const crc = crc32(b, pos + 26, pos + size, crc32(ZERO4, 0, 4, crc32(b, pos, pos + 22, 0)));
    if (crc !== u32(b, pos + 22)) throw corrupt(`Ogg page ${page} (byte ${pos}) is damaged: its CRC-32 does not match`);
    const [pageSerial, sequence, flags] = [u32(b, pos + 14), u32(b, pos + 18), b[pos + 5]];
    if (page === 0) [serial, firstSequence] = [pageSerial, sequence];
    else if (pageSerial !== serial)
      throw new DecodeError(
        'audio.unsupported',
        file,
        `Ogg page ${page} belongs to a second logical stream (chained or multiplexed Ogg is not supported)`,
      );
    else if (eos) throw corrupt(`Ogg page ${page} (byte ${pos}) comes after the end-of-stream page`);
    else if (sequence !== (firstSequence + page) % 2 ** 32)
      throw corrupt(
        `Ogg page ${page} (byte ${pos}) has sequence number ${sequence}: pages are missing or out of order`,
      );
    if (((flags & FLAG_CONTINUED) !== 0) !== pieces.length > 0)
      throw corrupt(
        pieces.length > 0
          ? `Ogg page ${page} (byte ${pos}) does not continue the packet the page before left open`
          : `Ogg page ${page} (byte ${pos}) continues a packet that no page began`,
      );
    // A lacing value below 255 ends a packet; 255 means it goes on, maybe onto the next page.
    for (let s = 0, at = bodyStart; s < segments; s++) {
      const lace = b[pos + 27 + s];
      pieces.push(b.subarray(at, at + lace));
      at += lace;
      if (lace < 255) {
        packets.push(pieces.length === 1 ? pieces[0] : joined(pieces));
        pieces = [];
      }
    }
    // Granule 0xFFFFFFFF_FFFFFFFF means "no packet ends on this page".
    const [lo, hi] = [u32(b, pos + 6), u32(b, pos + 10)];
    if (!(lo === 0xffffffff && hi === 0xffffffff)) endGranule = lo + hi * 2 ** 32;
    eos = (flags & FLAG_EOS) !== 0;
    pos += size;
  }
  if (page === 0 && cut) throw corrupt(`the file ends before the first Ogg page is complete (${b.length} bytes)`);
  if (!cut && !eos) cut = 'the Ogg stream has no end-of-stream page';
  return { packets, endGranule, cut };
}

function joined(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
