// Ogg Opus → mono Float32, decoded by libopus compiled to WASM (opus-decoder 0.7, the decoder inside ogg-opus-decoder).
//
// Opus always codes at 48 kHz, but OpusHead records the rate of the audio that was encoded (MLS: 16 kHz).
// libopus decodes natively at 8/12/16/24/48 kHz, so we decode at the input rate when it is one of those:
// a 16 kHz corpus then reports 16 kHz, as its documentation says, without a resampling step of our own.
//
// The Ogg pages are read by ./ogg.ts and the packets handed to libopus here, not through ogg-opus-decoder, whose
// Ogg parser takes pages for headers by their numbers (see ogg.ts) and whose end trim is wrong for some streams:
// when the audio fits in one page it kept pre-skip samples too many at the end (a 0.5 s ffmpeg file decoded to
// 24312 samples at 48 kHz; ffmpeg gives 24000). We cut the output to what the last granule position declares
// (RFC 7845 §4: granule − pre-skip). The decoder is per file: it is configured by this stream's OpusHead.

import { exceededLimit, type Limits } from '../limits.js';
import type { Codec, DecodeOutcome } from './codec.js';
import { DecodeError, describeBytes, type DecodeProblem } from './errors.js';
import { ascii, readOgg, u32 } from './ogg.js';
import { quietly } from './quiet.js';

let opusPackage: Promise<typeof import('opus-decoder')> | undefined;

const NATIVE_RATES = [8000, 12000, 16000, 24000, 48000] as const;
type NativeRate = (typeof NATIVE_RATES)[number];

interface OpusHead {
  channels: number;
  /** Samples at 48 kHz that the decoder must drop at the start. */
  preSkip: number;
  inputRate: number;
  /** Output gain as a linear factor (OpusHead stores dB in Q7.8); libopus leaves it to us, ffmpeg applies it. */
  gain: number;
  /** How the channels are coded: `streams` Opus streams, the first `coupled` of them stereo, then `table`. */
  streams: number;
  coupled: number;
  table: number[];
}

/** What the first packet of a non-Opus Ogg stream is, for the error message. */
function otherCodec(packet: Uint8Array): string | undefined {
  if (ascii(packet, 1, 6) === 'vorbis') return 'Vorbis';
  if (ascii(packet, 1, 4) === 'FLAC') return 'FLAC';
  if (ascii(packet, 0, 5) === 'Speex') return 'Speex';
  if (ascii(packet, 1, 6) === 'theora') return 'Theora video';
  return undefined;
}

/** OpusHead (RFC 7845 §5.1), its channel mapping checked before libopus is configured with it. */
function parseHead(packet: Uint8Array | undefined, file: string): OpusHead {
  const corrupt = (why: string) => new DecodeError('audio.corrupt', file, why);
  if (!packet) throw corrupt('the Ogg stream holds no packet');
  if (ascii(packet, 0, 8) !== 'OpusHead') {
    const other = otherCodec(packet);
    if (other) throw new DecodeError('audio.unsupported', file, `Ogg ${other} is not supported (only Ogg Opus)`);
    throw corrupt(`the first Ogg packet is no OpusHead (starts ${describeBytes(packet, 8)})`);
  }
  if (packet.length < 19) throw corrupt(`OpusHead is ${packet.length} bytes, at least 19 are needed`);
  if (packet[8] >> 4 !== 0)
    throw new DecodeError('audio.unsupported', file, `OpusHead version ${packet[8]} is not supported`);
  const [channels, family] = [packet[9], packet[18]];
  const gainDb = ((((packet[17] << 8) | packet[16]) << 16) >> 16) / 256;
  const head = {
    channels,
    preSkip: packet[10] | (packet[11] << 8),
    inputRate: u32(packet, 12),
    gain: 10 ** (gainDb / 20),
    streams: 1,
    coupled: channels - 1,
    table: channels === 2 ? [0, 1] : [0],
  };
  if (channels === 0) throw corrupt('OpusHead declares 0 channels');
  if (family === 0) {
    if (channels > 2) throw corrupt(`OpusHead declares ${channels} channels with mapping family 0 (at most 2)`);
    return head;
  }
  // Families 1 (surround, up to 8 channels), 2 (ambisonics) and 255 (unspecified) share the explicit table; 3
  // needs a demixing matrix libopus' multistream decoder does not take.
  if (![1, 2, 255].includes(family))
    throw new DecodeError('audio.unsupported', file, `Opus channel mapping family ${family} is not supported`);
  if (family === 1 && channels > 8)
    throw corrupt(`OpusHead declares ${channels} channels with mapping family 1 (at most 8)`);
  if (packet.length < 21 + channels)
    throw corrupt(`OpusHead is ${packet.length} bytes, too short for the channel mapping of ${channels} channels`);
  const [streams, coupled] = [packet[19], packet[20]];
  const table = Array.from(packet.subarray(21, 21 + channels));
  if (streams === 0 || coupled > streams || streams + coupled > 255)
    throw corrupt(`OpusHead declares ${streams} streams of which ${coupled} coupled`);
  const bad = table.find((t) => t !== 255 && t >= streams + coupled);
  if (bad !== undefined)
    throw corrupt(`OpusHead maps a channel to stream channel ${bad}, beyond the ${streams + coupled} there are`);
  return { ...head, streams, coupled, table };
}

/**
 * Samples (at 48 kHz) a packet decodes to, from its TOC byte (RFC 6716 §3.1), known before anything is decoded.
 * An empty or malformed packet counts as the most libopus may output for one (120 ms of concealment).
 */
function packetSamples(p: Uint8Array): number {
  if (p.length === 0) return 5760;
  const config = p[0] >> 3;
  const frame =
    config < 12
      ? [480, 960, 1920, 2880][config & 3]
      : config < 16
        ? [480, 960][config & 1]
        : [120, 240, 480, 960][config & 3];
  const code = p[0] & 3;
  const count = code === 0 ? 1 : code < 3 ? 2 : p.length > 1 ? p[1] & 0x3f : 0;
  const n = frame * count;
  return n === 0 || n > 5760 ? 5760 : n;
}

/** opus-decoder's input buffer per channel (0.7: 256 kb/s over 120 ms); a larger packet would overrun it. */
const MAX_PACKET_BYTES_PER_CHANNEL = 32000 * 0.12;

async function decodeOpus(bytes: Uint8Array, file: string, limits: Limits): Promise<DecodeOutcome> {
  const { packets, endGranule, cut } = readOgg(bytes, file);
  const head = parseHead(packets[0], file);
  if (packets.length > 1 && ascii(packets[1], 0, 8) !== 'OpusTags')
    throw new DecodeError(
      'audio.corrupt',
      file,
      `the second Ogg packet is no OpusTags (starts ${describeBytes(packets[1], 8)})`,
    );
  const audioPackets = packets.slice(2);
  const sampleRate: NativeRate = NATIVE_RATES.find((r) => r === head.inputRate) ?? 48000;
  // What libopus will decode, summed from the packets' own headers: the granule positions could claim anything.
  const decodable = audioPackets.reduce((n, p) => n + packetSamples(p), 0);
  const over = exceededLimit(limits, {
    sampleRate: 48000,
    channels: head.channels,
    frames: Math.max(0, decodable - head.preSkip),
  });
  if (over) throw new DecodeError(over.code, file, over.reason);
  const maxBytes = MAX_PACKET_BYTES_PER_CHANNEL * head.channels;
  const large = audioPackets.findIndex((p) => p.length > maxBytes);
  if (large >= 0)
    throw new DecodeError(
      'audio.unsupported',
      file,
      `Opus packet ${large} is ${audioPackets[large].length} bytes, more than the decoder takes for ${head.channels} channel(s) (${maxBytes})`,
    );

  if (audioPackets.length === 0)
    throw new DecodeError('audio.empty', file, cut ? `${cut}: no complete audio packet` : 'the stream holds no audio');
  // Loaded on the first Opus file: runs without one never load the package.
  const { OpusDecoder } = await (opusPackage ??= import('opus-decoder'));
  const decoder = new OpusDecoder({
    sampleRate,
    channels: head.channels,
    streamCount: head.streams,
    coupledStreamCount: head.coupled,
    channelMappingTable: head.table,
    preSkip: Math.round((head.preSkip * sampleRate) / 48000),
  });
  let result;
  try {
    await decoder.ready;
    result = quietly(() => decoder.decodeFrames(audioPackets));
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
