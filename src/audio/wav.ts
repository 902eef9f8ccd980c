// WAV (RIFF/WAVE and RF64) → mono Float32.
// We walk the RIFF chunks and read `fmt ` ourselves instead of wavefile.fromBuffer because (wavefile 11,
// measured): fromBuffer copies the whole data chunk before any conversion; its chunk index is renamed
// away by the Closure-compiled dist build, so the data offset cannot be read back; a file cut inside
// `fmt ` yields null fields instead of an error; missing chunks surface only as Error message text.
// The compressed codes (G.711, IMA ADPCM) decode in wav-codes.ts.

import { exceededLimit, type Limits } from '../limits.js';
import type { Codec, DecodeOutcome } from './codec.js';
import { DecodeError, describeBytes, type DecodeProblem } from './errors.js';
import { g711Table, imaAdpcm, imaFramesPerBlock } from './wav-codes.js';

const [TAG_PCM, TAG_FLOAT, TAG_ALAW, TAG_MULAW, TAG_IMA_ADPCM, TAG_EXTENSIBLE] = [0x1, 0x3, 0x6, 0x7, 0x11, 0xfffe];
const TAG_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

// Writers streaming to a pipe cannot seek back to fill in sizes: ffmpeg leaves 0xFFFFFFFF, sox 0x7FFFF000.
const UNSET_SIZES = new Set([0xffffffff, 0x7ffff000]);

// Typed-array views read in host byte order; WAV is little-endian.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const u16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
// `+ hi * 2^24` rather than `<< 24` keeps sizes ≥ 2 GiB positive.
const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
const fourcc = (b: Uint8Array, o: number): string => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);

interface WavHeader {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign: number;
  dataStart: number;
  /** Bytes the data chunk claims, and bytes of it actually present. */
  declared: number;
  present: number;
  /** The size field is a streaming placeholder; `present` runs to the end of the file. */
  lengthUnset: boolean;
}

function readHeader(b: Uint8Array, file: string): WavHeader {
  const corrupt = (why: string) => new DecodeError('audio.corrupt', file, why);
  const riff = b.length >= 12 ? fourcc(b, 0) : '';
  if (!['RIFF', 'RF64', 'RIFX'].includes(riff) || fourcc(b, 8) !== 'WAVE') {
    throw corrupt(`not a RIFF/WAVE file (first bytes ${describeBytes(b)})`);
  }
  if (riff === 'RIFX') throw new DecodeError('audio.unsupported', file, 'big-endian RIFX WAV is not supported');

  let fmt = -1,
    fmtSize = 0,
    data = -1,
    dataSize = 0,
    ds64 = -1;
  for (let pos = 12; pos + 8 <= b.length && (fmt < 0 || data < 0);) {
    const [id, size] = [fourcc(b, pos), u32(b, pos + 4)];
    if (id === 'fmt ' && fmt < 0) [fmt, fmtSize] = [pos + 8, size];
    else if (id === 'data' && data < 0) [data, dataSize] = [pos + 8, size];
    else if (id === 'ds64' && ds64 < 0) ds64 = pos + 8;
    pos += 8 + size + (size & 1); // chunks are padded to even length
  }
  if (fmt < 0) throw corrupt('no "fmt " chunk');
  if (fmtSize < 16) throw corrupt(`"fmt " chunk is ${fmtSize} bytes, at least 16 are needed`);
  if (fmt + 16 > b.length)
    throw corrupt(`file ends inside the "fmt " chunk (${b.length - fmt} of ${fmtSize} bytes present)`);
  if (data < 0) throw corrupt('no "data" chunk');

  let tag = u16(b, fmt);
  if (tag === TAG_EXTENSIBLE) {
    // The real format is in the SubFormat GUID, whose first two bytes are the classic format tag.
    if (fmtSize < 40 || fmt + 40 > b.length)
      throw corrupt('WAVE_FORMAT_EXTENSIBLE "fmt " chunk is shorter than 40 bytes');
    tag = u16(b, fmt + 24);
  }
  const [channels, sampleRate] = [u16(b, fmt + 2), u32(b, fmt + 4)];
  if (channels === 0 || sampleRate === 0) throw corrupt(`"fmt " chunk says ${channels} channel(s) at ${sampleRate} Hz`);

  let [declared, lengthUnset] = [dataSize, false];
  if (riff === 'RF64' && ds64 >= 0 && ds64 + 16 <= b.length) declared = u32(b, ds64 + 8) + u32(b, ds64 + 12) * 2 ** 32;
  else if (UNSET_SIZES.has(dataSize) && data + dataSize > b.length) lengthUnset = true;
  const present = lengthUnset ? b.length - data : Math.min(declared, b.length - data);
  return {
    tag,
    channels,
    sampleRate,
    bits: u16(b, fmt + 14),
    blockAlign: u16(b, fmt + 12),
    dataStart: data,
    declared,
    present,
    lengthUnset,
  };
}

type View = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;
type ViewCtor = { new (buf: ArrayBufferLike, offset: number, length: number): View; BYTES_PER_ELEMENT: number };

/** A typed view on the data chunk without copying, unless its offset is misaligned for the type. */
function view(b: Uint8Array, start: number, count: number, Ctor: ViewCtor): View {
  const offset = b.byteOffset + start;
  if (offset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(b.buffer, offset, count);
  // Odd chunk layouts (an 18-byte fmt + fact puts float data at byte 58) or a pooled Node Buffer
  // misalign the data; one copy realigns it. Not `b.slice`: on a Node Buffer that is a view, not a copy.
  const copy = new Uint8Array(count * Ctor.BYTES_PER_ELEMENT);
  copy.set(b.subarray(start, start + copy.length));
  return new Ctor(copy.buffer, 0, count);
}

/** Average interleaved channels into mono: out = (mean(src) - bias) * scale. */
function mix(src: View, ch: number, frames: number, scale: number, bias: number): Float32Array {
  const out = new Float32Array(frames);
  const k = scale / ch;
  for (let f = 0, j = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < ch; c++) sum += src[j++];
    out[f] = (sum - bias * ch) * k;
  }
  return out;
}

// Same as `mix`, kept separate for the common int16 case: one typed-array kind per loop keeps V8's
// element access monomorphic, which measured ~3× faster than the shared loop.
function mix16(src: Int16Array, ch: number, frames: number): Float32Array {
  if (ch === 1) {
    // The typed-array constructor converts int16 → float32 natively (exact), leaving only the scaling to JS:
    // ~1.6× faster than converting and scaling in one JS loop. x·2⁻¹⁵ is exact either way.
    const out = new Float32Array(src.length === frames ? src : src.subarray(0, frames));
    scale(out, 1 / 32768);
    return out;
  }
  const out = new Float32Array(frames);
  const k = 1 / (32768 * ch);
  for (let f = 0, j = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < ch; c++) sum += src[j++];
    out[f] = sum * k;
  }
  return out;
}

/** x *= k in place, four samples a step: ~1.4× faster than one a step here (x·2⁻¹⁵ is exact either way). */
function scale(x: Float32Array, k: number): void {
  const n = x.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    x[i] *= k;
    x[i + 1] *= k;
    x[i + 2] *= k;
    x[i + 3] *= k;
  }
  for (; i < n; i++) x[i] *= k;
}

function mix24(b: Uint8Array, start: number, ch: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  const k = 1 / (8388608 * ch);
  for (let f = 0, p = start; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < ch; c++, p += 3) sum += ((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) << 8) >> 8;
    out[f] = sum * k;
  }
  return out;
}

function mixTable(b: Uint8Array, start: number, ch: number, frames: number, table: Float32Array): Float32Array {
  const out = new Float32Array(frames);
  for (let f = 0, p = start; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < ch; c++) sum += table[b[p++]];
    out[f] = sum / ch;
  }
  return out;
}

/**
 * The container width of one PCM sample, from blockAlign when it is consistent: 20-bit audio sits in 3 bytes,
 * 24-bit sometimes in 4, left-justified, so reading the whole container is right.
 */
function pcmWidth(h: WavHeader): number {
  const perSample = h.blockAlign / h.channels;
  const least = Math.ceil(h.bits / 8);
  return Number.isInteger(perSample) && perSample >= least && perSample <= 4 ? perSample : least;
}

/**
 * The sample frames `convert` will produce, computed as it does: blockAlign alone is no measure, since a header may
 * set it to 0 or to anything, and an IMA ADPCM block holds about twice as many frames as it has bytes.
 */
function framesToDecode(h: WavHeader): number | undefined {
  const { tag, bits, channels: ch, present, blockAlign } = h;
  if (tag === TAG_PCM) return bits === 0 || bits > 32 ? undefined : Math.floor(present / (pcmWidth(h) * ch));
  if (tag === TAG_FLOAT) return bits === 32 || bits === 64 ? Math.floor(present / ((bits / 8) * ch)) : undefined;
  if (tag === TAG_ALAW || tag === TAG_MULAW) return Math.floor(present / ch);
  if (tag === TAG_IMA_ADPCM && blockAlign >= 4 * ch)
    return Math.ceil(present / blockAlign) * imaFramesPerBlock(blockAlign, ch);
  return undefined; // not decodable: convert throws before allocating
}

function convert(b: Uint8Array, h: WavHeader, file: string): { codec: string; samples: Float32Array } {
  const { tag, bits, channels: ch, dataStart: start, present } = h;
  const unsupported = (what: string) => new DecodeError('audio.unsupported', file, `${what} is not supported`);
  if (!LITTLE_ENDIAN_HOST) throw unsupported('decoding WAV on a big-endian host');
  if (tag === TAG_PCM) {
    if (bits === 0 || bits > 32) throw new DecodeError('audio.corrupt', file, `PCM with ${bits} bits per sample`);
    const width = pcmWidth(h);
    const frames = Math.floor(present / (width * ch));
    if (width === 1)
      return { codec: 'pcm_u8', samples: mix(view(b, start, frames * ch, Uint8Array), ch, frames, 1 / 128, 128) };
    if (width === 2)
      return { codec: 'pcm_s16le', samples: mix16(view(b, start, frames * ch, Int16Array) as Int16Array, ch, frames) };
    if (width === 3) return { codec: 'pcm_s24le', samples: mix24(b, start, ch, frames) };
    return { codec: 'pcm_s32le', samples: mix(view(b, start, frames * ch, Int32Array), ch, frames, 1 / 2147483648, 0) };
  }
  if (tag === TAG_FLOAT && (bits === 32 || bits === 64)) {
    const Ctor = bits === 32 ? Float32Array : Float64Array;
    const frames = Math.floor(present / ((bits / 8) * ch));
    return { codec: `pcm_f${bits}le`, samples: mix(view(b, start, frames * ch, Ctor), ch, frames, 1, 0) };
  }
  if (tag === TAG_ALAW || tag === TAG_MULAW) {
    const frames = Math.floor(present / ch);
    return {
      codec: tag === TAG_ALAW ? 'pcm_alaw' : 'pcm_mulaw',
      samples: mixTable(b, start, ch, frames, g711Table(tag === TAG_ALAW ? 'alaw' : 'mulaw')),
    };
  }
  if (tag === TAG_IMA_ADPCM) {
    if (h.blockAlign < 4 * ch || (h.blockAlign - 4 * ch) % (4 * ch) !== 0) {
      throw new DecodeError(
        'audio.corrupt',
        file,
        `IMA ADPCM block of ${h.blockAlign} bytes does not fit ${ch} channel(s)`,
      );
    }
    const pcm = imaAdpcm(b, start, present, ch, h.blockAlign);
    return { codec: 'adpcm_ima_wav', samples: mix16(pcm, ch, pcm.length / ch) };
  }
  if (tag === TAG_FLOAT) throw unsupported(`${bits}-bit IEEE float`);
  throw unsupported(
    `WAV format tag 0x${tag.toString(16).padStart(4, '0')}${TAG_NAMES[tag] ? ` (${TAG_NAMES[tag]})` : ''}`,
  );
}

function decodeWav(bytes: Uint8Array, file: string, limits: Limits): DecodeOutcome {
  const h = readHeader(bytes, file);
  if (h.declared === 0) throw new DecodeError('audio.empty', file, 'data chunk is empty (0 bytes)');
  // Frames present, not declared: a header may claim any length, the bytes are what the decode would hold.
  const over = exceededLimit(limits, { sampleRate: h.sampleRate, channels: h.channels, frames: framesToDecode(h) });
  if (over) throw new DecodeError(over.code, file, over.reason);
  const problems: DecodeProblem[] = [];
  if (h.lengthUnset) {
    const message = `data chunk size is a streaming placeholder (0x${h.declared.toString(16)}); decoded the ${h.present} bytes to the end of the file`;
    problems.push({ code: 'audio.length_unset', message });
  } else if (h.present < h.declared) {
    const pct = (100 * (h.declared - h.present)) / h.declared; // `value` is this percentage
    const message = `data chunk declares ${h.declared} bytes but only ${h.present} are present (${pct.toFixed(1)}% missing)`;
    problems.push({ code: 'audio.truncated', message, value: pct });
  }
  const { codec, samples } = convert(bytes, h, file);
  if (h.tag === TAG_FLOAT || codec.startsWith('pcm_f')) {
    // Float data may hold NaN or infinities (or be integers mislabelled as float): one such sample poisons every
    // level and spectrum of the clip, and a training loss.
    let bad = 0;
    for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i])) bad++;
    if (bad > 0)
      throw new DecodeError(
        'audio.corrupt',
        file,
        `${bad} of ${samples.length} float samples are NaN or infinite (first at ${samples.findIndex((v) => !Number.isFinite(v))})`,
      );
  }
  if (samples.length === 0) {
    const why = problems.length
      ? `${problems[0].message}: not one complete sample frame`
      : 'data chunk holds no complete sample frame';
    throw new DecodeError('audio.empty', file, why);
  }
  const { sampleRate, channels, bits: bitDepth } = h;
  return {
    audio: { codec, sampleRate, channels, bitDepth, samples, durationSec: samples.length / sampleRate },
    problems,
  };
}

export const wavCodec: Codec = {
  name: 'wav',
  findings: {
    'audio.length_unset': {
      severity: 'info',
      description: 'the WAV header leaves the data length unset (written to a pipe); decoded to the end of the file',
    },
  },
  extensions: ['.wav', '.wave'],
  sniff: (head) =>
    head.length >= 12 && ['RIFF', 'RF64', 'RIFX'].includes(fourcc(head, 0)) && fourcc(head, 8) === 'WAVE',
  decode: decodeWav,
};
