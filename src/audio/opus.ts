// Ogg Opus → mono Float32, decoded by libopus compiled to WASM (ogg-opus-decoder 1.7).
//
// Opus always codes at 48 kHz, but OpusHead records the rate of the audio that was encoded (MLS: 16 kHz).
// libopus decodes natively at 8/12/16/24/48 kHz, so we decode at the input rate when it is one of those:
// a 16 kHz corpus then reports 16 kHz, as its documentation says, without a resampling step of our own.
//
// We walk the Ogg pages ourselves, before the library sees them, because (measured, 1.7.5):
// - its end trim is wrong for some streams: when the audio fits in one page it keeps pre-skip samples
//   too many at the end (a 0.5 s ffmpeg file decodes to 24312 samples at 48 kHz; ffmpeg gives 24000).
//   We cut the output to what the last granule position declares (RFC 7845 §4: granule − pre-skip).
// - it does not check page CRCs, and Opus packets have no checksum, so damaged bytes decode to noise.
// - a file cut short decodes without any sign of it; here a missing end-of-stream page is reported.
// The decoder is per file: it is configured by this stream's OpusHead (channels, mapping, rate, pre-skip).

import { OggOpusDecoder } from 'ogg-opus-decoder';
import { exceededLimit, type Limits } from '../limits.js';
import type { Codec, DecodeOutcome } from './codec.js';
import { DecodeError, describeBytes, type DecodeProblem } from './errors.js';

const NATIVE_RATES = [8000, 12000, 16000, 24000, 48000];

/** The 1.7 typings omit `sampleRate`, which the decoder reads (see its README and src/OggOpusDecoder.js). */
type DecoderOptions = NonNullable<ConstructorParameters<typeof OggOpusDecoder>[0]> & { sampleRate?: number };

interface OpusHead {
  channels: number;
  /** Samples at 48 kHz that the decoder must drop at the start. */
  preSkip: number;
  inputRate: number;
  /** Output gain as a linear factor (OpusHead stores dB in Q7.8); the WASM decoder ignores it, ffmpeg applies it. */
  gain: number;
}

interface OggScan {
  head: OpusHead;
  /** Bytes up to the end of the last complete page. */
  complete: number;
  /** Last granule position (48 kHz samples, pre-skip included); -1 if no page carries one. */
  endGranule: number;
  /** Why the stream looks cut short, if it does. */
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

const ascii = (b: Uint8Array, o: number, n: number): string => String.fromCharCode(...b.subarray(o, o + n));
const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

/** What the first packet of a non-Opus Ogg stream is, for the error message. */
function otherCodec(packet: Uint8Array): string | undefined {
  if (ascii(packet, 1, 6) === 'vorbis') return 'Vorbis';
  if (ascii(packet, 1, 4) === 'FLAC') return 'FLAC';
  if (ascii(packet, 0, 5) === 'Speex') return 'Speex';
  if (ascii(packet, 1, 6) === 'theora') return 'Theora video';
  return undefined;
}

function parseHead(packet: Uint8Array, file: string): OpusHead {
  if (ascii(packet, 0, 8) !== 'OpusHead') {
    const other = otherCodec(packet);
    if (other) throw new DecodeError('audio.unsupported', file, `Ogg ${other} is not supported (only Ogg Opus)`);
    throw new DecodeError(
      'audio.corrupt',
      file,
      `the first Ogg page holds no OpusHead (starts ${describeBytes(packet, 8)})`,
    );
  }
  if (packet.length < 19)
    throw new DecodeError('audio.corrupt', file, `OpusHead is ${packet.length} bytes, at least 19 are needed`);
  if (packet[8] >> 4 !== 0)
    throw new DecodeError('audio.unsupported', file, `OpusHead version ${packet[8]} is not supported`);
  const gainDb = ((((packet[17] << 8) | packet[16]) << 16) >> 16) / 256;
  const head = {
    channels: packet[9],
    preSkip: packet[10] | (packet[11] << 8),
    inputRate: u32(packet, 12),
    gain: 10 ** (gainDb / 20),
  };
  if (head.channels === 0) throw new DecodeError('audio.corrupt', file, 'OpusHead declares 0 channels');
  return head;
}

/** Checks every page (capture pattern, CRC-32, one logical stream) and finds the stream's end. */
function scanPages(b: Uint8Array, file: string): OggScan {
  const corrupt = (why: string) => new DecodeError('audio.corrupt', file, why);
  let [pos, page, serial, lastGranule, eos] = [0, 0, -1, -1, false];
  let head: OpusHead | undefined;
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
    let size = 27 + segments;
    for (let s = 0; s < segments && pos + 27 + s < b.length; s++) size += b[pos + 27 + s];
    if (pos + size > b.length) {
      cut = `the file ends inside Ogg page ${page} (${b.length - pos} of ${size} bytes present)`;
      break;
    }
    // The CRC covers the page with its own CRC field read as zeros.
    const crc = crc32(b, pos + 26, pos + size, crc32(ZERO4, 0, 4, crc32(b, pos, pos + 22, 0)));
    if (crc !== u32(b, pos + 22)) throw corrupt(`Ogg page ${page} (byte ${pos}) is damaged: its CRC-32 does not match`);
    const pageSerial = u32(b, pos + 14);
    if (page === 0) {
      serial = pageSerial;
      // RFC 7845: OpusHead is alone on the first page, so the whole body is the packet.
      head = parseHead(b.subarray(pos + 27 + segments, pos + size), file);
    } else if (pageSerial !== serial) {
      throw new DecodeError(
        'audio.unsupported',
        file,
        `Ogg page ${page} belongs to a second logical stream (chained or multiplexed Ogg is not supported)`,
      );
    }
    // Granule 0xFFFFFFFF_FFFFFFFF means "no packet ends on this page".
    const [lo, hi] = [u32(b, pos + 6), u32(b, pos + 10)];
    if (!(lo === 0xffffffff && hi === 0xffffffff)) lastGranule = lo + hi * 2 ** 32;
    eos = (b[pos + 5] & 0x04) !== 0;
    pos += size;
  }
  if (!head) throw corrupt(`the file ends before the first Ogg page is complete (${b.length} bytes)`);
  if (!cut && !eos) cut = 'the Ogg stream has no end-of-stream page';
  return { head, complete: pos, endGranule: lastGranule, cut };
}

async function decodeOpus(bytes: Uint8Array, file: string, limits: Limits): Promise<DecodeOutcome> {
  const { head, complete, endGranule, cut } = scanPages(bytes, file);
  const sampleRate = NATIVE_RATES.includes(head.inputRate) ? head.inputRate : 48000;
  // The last granule position is the stream's own length (48 kHz units), known before anything decodes.
  const streamFrames = endGranule < 0 ? undefined : Math.max(0, endGranule - head.preSkip);
  const over = exceededLimit(limits, { sampleRate: 48000, channels: head.channels, frames: streamFrames });
  if (over) throw new DecodeError(over.code, file, over.reason);
  const options: DecoderOptions = { sampleRate };
  const decoder = new OggOpusDecoder(options);
  let result;
  try {
    await decoder.ready;
    result = await decoder.decodeFile(bytes.subarray(0, complete));
  } finally {
    decoder.free();
  }
  if (result.errors.length > 0) {
    const e = result.errors[0];
    throw new DecodeError(
      'audio.corrupt',
      file,
      `${e.message} (Opus packet ${e.frameNumber}, input byte ${e.inputBytes})`,
    );
  }

  // The last granule position says where the audio ends, also for a cut file (its last complete page).
  const declared =
    endGranule < 0 ? Infinity : Math.max(0, Math.round(((endGranule - head.preSkip) * sampleRate) / 48000));
  const frames = Math.min(result.samplesDecoded, declared);
  const problems: DecodeProblem[] = [];
  if (cut) {
    // `value` (% missing) stays unset: nothing in an Ogg stream records its length before the end.
    problems.push({
      code: 'audio.truncated',
      message: `${cut}: the file was cut short (decoded ${(frames / sampleRate).toFixed(3)} s; Ogg does not record the full length)`,
    });
  } else if (frames < declared) {
    const pct = (100 * (declared - frames)) / declared;
    problems.push({
      code: 'audio.truncated',
      message: `the last granule position declares ${declared} samples but only ${frames} decode (${pct.toFixed(1)}% missing)`,
      value: pct,
    });
  }
  if (frames === 0) {
    const why = cut ? `${cut}: no complete audio packet` : 'the stream holds no audio';
    throw new DecodeError('audio.empty', file, why);
  }

  const channels = result.channelData;
  const samples = new Float32Array(frames);
  if (channels.length === 1 && head.gain === 1) samples.set(channels[0].subarray(0, frames));
  else {
    const k = head.gain / channels.length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (const ch of channels) sum += ch[i];
      samples[i] = sum * k;
    }
  }
  return {
    audio: {
      codec: 'opus',
      sampleRate,
      channels: head.channels,
      bitDepth: 0,
      samples,
      durationSec: frames / sampleRate,
    },
    problems,
  };
}

export const opusCodec: Codec = {
  name: 'opus',
  // `.ogg` too: an Ogg Vorbis file then gets "Ogg Vorbis is not supported" rather than "no decoder for .ogg".
  extensions: ['.opus', '.ogg'],
  // OpusHead sits at byte 28, beyond the 16 bytes codecs are shown, so every Ogg stream comes here;
  // decode() rejects the other Ogg codecs as unsupported.
  sniff: (head) => head.length >= 4 && head[0] === 0x4f && head[1] === 0x67 && head[2] === 0x67 && head[3] === 0x53,
  decode: decodeOpus,
};
