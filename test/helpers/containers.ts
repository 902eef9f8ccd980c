// Ogg and FLAC structure for the fuzz tests: where pages and frames lie, and their checksums recomputed after a
// mutation, so damaged bytes reach libopus and libFLAC instead of stopping at our own CRC checks.

const OGG_CRC = new Uint32Array(256);
const FLAC_CRC16 = new Uint16Array(256);
const FLAC_CRC8 = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  let c16 = i << 8;
  let c8 = i;
  for (let k = 0; k < 8; k++) {
    c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    c16 = ((c16 << 1) ^ (c16 & 0x8000 ? 0x8005 : 0)) & 0xffff;
    c8 = ((c8 << 1) ^ (c8 & 0x80 ? 0x07 : 0)) & 0xff;
  }
  OGG_CRC[i] = c >>> 0;
  FLAC_CRC16[i] = c16;
  FLAC_CRC8[i] = c8;
}

export interface Span {
  start: number;
  end: number;
}

/** The complete Ogg pages of a stream, in order; stops at the first byte that is not a page. */
export function oggPages(b: Uint8Array): Span[] {
  const pages: Span[] = [];
  for (let pos = 0; pos + 27 <= b.length;) {
    if (b[pos] !== 0x4f || b[pos + 1] !== 0x67 || b[pos + 2] !== 0x67 || b[pos + 3] !== 0x53) break;
    const segments = b[pos + 26];
    let size = 27 + segments;
    for (let s = 0; s < segments && pos + 27 + s < b.length; s++) size += b[pos + 27 + s];
    if (pos + size > b.length) break;
    pages.push({ start: pos, end: pos + size });
    pos += size;
  }
  return pages;
}

/** Recomputes the CRC-32 of every complete page, in place. */
export function resealOgg(b: Uint8Array): Uint8Array {
  for (const { start, end } of oggPages(b)) {
    b.fill(0, start + 22, start + 26);
    let crc = 0;
    for (let i = start; i < end; i++) crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ b[i]) & 0xff]) >>> 0;
    new DataView(b.buffer, b.byteOffset).setUint32(start + 22, crc, true);
  }
  return b;
}

/** The first `count` pages of a stream, the last one flagged end-of-stream: a short, whole Ogg file. */
export function firstPages(b: Uint8Array, count: number): Uint8Array {
  const pages = oggPages(b).slice(0, count);
  const out = Uint8Array.from(b.subarray(0, pages[pages.length - 1].end));
  out[pages[pages.length - 1].start + 5] |= 0x04;
  return resealOgg(out);
}

/**
 * Frame spans of a valid FLAC stream from `audioStart`: a frame ends where the next sync code begins and the bytes
 * so far carry their CRC-16 (running CRC 0), which is how the decoder splits them too.
 */
export function flacFrames(b: Uint8Array, audioStart: number): Span[] {
  const frames: Span[] = [];
  let [start, crc] = [audioStart, 0];
  for (let p = audioStart; p < b.length; p++) {
    if (p > start + 6 && crc === 0 && b[p] === 0xff && (b[p + 1] & 0xfe) === 0xf8) {
      frames.push({ start, end: p });
      start = p;
    }
    crc = ((crc << 8) & 0xffff) ^ FLAC_CRC16[(crc >> 8) ^ b[p]];
  }
  frames.push({ start, end: b.length });
  return frames;
}

/** Length of a frame header up to its CRC-8 byte, read as the decoder reads it (a mutated header included). */
export function flacHeaderLength(b: Uint8Array, p: number): number {
  const [sizeCode, rateCode] = [b[p + 2] >> 4, b[p + 2] & 15];
  const lead = b[p + 4];
  let extra = 0;
  for (let mask = 0x80; lead & mask && mask > 1; mask >>= 1) extra++;
  const utf8 = extra <= 1 ? 1 : extra;
  const sizeExtra = sizeCode === 6 ? 1 : sizeCode === 7 ? 2 : 0;
  const rateExtra = rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  return 4 + utf8 + sizeExtra + rateExtra;
}

/** Recomputes each frame span's header CRC-8 and closing CRC-16, in place, so only libFLAC can see the damage. */
export function resealFlac(b: Uint8Array, frames: Span[]): Uint8Array {
  for (const { start, end } of frames) {
    const crcAt = start + flacHeaderLength(b, start);
    if (crcAt < end - 2) {
      let crc8 = 0;
      for (let p = start; p < crcAt; p++) crc8 = FLAC_CRC8[crc8 ^ b[p]];
      b[crcAt] = crc8;
    }
    let crc = 0;
    for (let p = start; p < end - 2; p++) crc = ((crc << 8) & 0xffff) ^ FLAC_CRC16[(crc >> 8) ^ b[p]];
    b[end - 2] = crc >> 8;
    b[end - 1] = crc & 0xff;
  }
  return b;
}

/** Offset of the first audio frame of a plain `fLaC` stream (no ID3v2), after all metadata blocks. */
export function flacAudioStart(b: Uint8Array): number {
  let pos = 4;
  for (let last = false; !last;) {
    last = (b[pos] & 0x80) !== 0;
    pos += 4 + ((b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3]);
  }
  return pos;
}

/** One Ogg page holding whole `packets` (each under 255 × 255 bytes), its CRC computed. */
export function oggPage(
  packets: Uint8Array[],
  { serial, sequence, granule, flags = 0 }: { serial: number; sequence: number; granule: bigint; flags?: number },
): Uint8Array {
  const lacing = packets.flatMap((p) => [...Array<number>(Math.floor(p.length / 255)).fill(255), p.length % 255]);
  const body = packets.reduce((n, p) => n + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + body);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53, 0, flags]);
  view.setBigUint64(6, BigInt.asUintN(64, granule), true);
  view.setUint32(14, serial, true);
  view.setUint32(18, sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const p of packets) {
    page.set(p, at);
    at += p.length;
  }
  return resealOgg(page);
}

/** One packet too long for a page, laid over as many pages as it takes (the later ones flagged as continuing). */
export function oggSpanningPages(
  packet: Uint8Array,
  { serial, sequence, granule }: { serial: number; sequence: number; granule: bigint },
): Uint8Array[] {
  const pages: Uint8Array[] = [];
  const perPage = 255 * 255;
  for (let at = 0, n = 0; at < packet.length || n === 0; at += perPage, n++) {
    const piece = packet.subarray(at, at + perPage);
    const last = at + perPage > packet.length;
    const lacing = last
      ? [...Array<number>(Math.floor(piece.length / 255)).fill(255), piece.length % 255]
      : Array<number>(255).fill(255);
    const page = new Uint8Array(27 + lacing.length + piece.length);
    page.set([0x4f, 0x67, 0x67, 0x53, 0, n > 0 ? 1 : 0]);
    const view = new DataView(page.buffer);
    view.setBigUint64(6, last ? granule : 2n ** 64n - 1n, true);
    view.setUint32(14, serial, true);
    view.setUint32(18, sequence + n, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    page.set(piece, 27 + lacing.length);
    pages.push(resealOgg(page));
  }
  return pages;
}
