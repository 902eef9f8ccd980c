// Entry points of the audio stage: bytes, a file, or an AudioRef → mono Float32 + format facts.

import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { extname, sep } from 'node:path';
import { DEFAULT_LIMITS, exceededLimit, type Limits } from '../limits.js';
import type { AudioRef } from '../types.js';
import type { Codec, DecodeOutcome } from './codec.js';
import { codecs } from './codecs.js';
import { DecodeError, describeBytes, type DecodeProblem } from './errors.js';

/** Magic bytes win over the extension: datasets do contain MP3s named .wav and WAVs named .flac. */
function pickCodec(bytes: Uint8Array, file: string): Codec | undefined {
  const head = bytes.subarray(0, 16);
  const ext = extname(file).toLowerCase();
  return codecs.find((c) => c.sniff(head)) ?? codecs.find((c) => c.extensions.includes(ext));
}

export interface DecodeOptions {
  /** What one clip may cost (`limits` in the config); default `DEFAULT_LIMITS`. */
  limits?: Limits;
  /**
   * Real paths (symlinks resolved) of the folders a file may be read from: the dataset root and any
   * `--audio-root`. Unset: any file the caller names (the library's single-file use).
   */
  roots?: readonly string[];
}

/** Decode an in-memory file. `file` names it in messages and hints the codec by its extension. */
export async function decodeBytes(
  bytes: Uint8Array,
  file: string,
  { limits = DEFAULT_LIMITS }: DecodeOptions = {},
): Promise<DecodeOutcome> {
  if (bytes.length === 0) throw new DecodeError('audio.empty', file, 'file is empty (0 bytes)');
  const codec = pickCodec(bytes, file);
  if (!codec) {
    const ext = extname(file) || '(no extension)';
    throw new DecodeError(
      'audio.unsupported',
      file,
      `no decoder for extension ${ext} with first bytes ${describeBytes(bytes)}`,
    );
  }
  let outcome: DecodeOutcome;
  try {
    outcome = await codec.decode(bytes, file, limits);
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    // A codec (or a library under it) failing without our error type still means unreadable bytes.
    throw new DecodeError(
      'audio.corrupt',
      file,
      `${codec.name} decoder failed: ${(err as Error).message ?? String(err)}`,
    );
  }
  return withinLimits(outcome, file, limits);
}

/** Every codec's output checked once more, whatever its header said: the samples are what later stages pay for. */
function withinLimits(outcome: DecodeOutcome, file: string, limits: Limits): DecodeOutcome {
  const { sampleRate, channels, samples } = outcome.audio;
  const over = exceededLimit(limits, { sampleRate, channels, frames: samples.length });
  if (over) throw new DecodeError(over.code, file, over.reason);
  return outcome;
}

const FILE_KIND: [test: (s: import('node:fs').Stats) => boolean, name: string][] = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isCharacterDevice() || s.isBlockDevice(), 'a device'],
];

/**
 * The bytes of a regular file inside `roots`: the path is resolved through its symlinks first, and its type and
 * size are checked on the open handle, so a FIFO cannot block, `/dev/zero` cannot fill memory, and a link out of
 * the dataset is never opened. O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer.
 */
async function readGuarded(absPath: string, displayName: string, options: DecodeOptions): Promise<Uint8Array> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const real = await realpath(absPath);
  if (options.roots && !options.roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep)))
    throw new DecodeError(
      'audio.outside_root',
      displayName,
      'is a link that leads outside the dataset root; not read (allow that folder with --audio-root DIR)',
    );
  const handle = await open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = FILE_KIND.find(([test]) => test(info))?.[1] ?? 'not a regular file';
      throw new DecodeError('audio.not_a_file', displayName, `is ${kind}, not a regular file; not opened for reading`);
    }
    const maxBytes = limits.maxFileMB * 2 ** 20;
    if (info.size > maxBytes)
      throw new DecodeError(
        'limits.file_size',
        displayName,
        `is ${(info.size / 2 ** 20).toFixed(0)} MiB, larger than limits.maxFileMB (${limits.maxFileMB}); not read`,
      );
    return await readInto(handle, info.size);
  } finally {
    await handle.close();
  }
}

// Files are read into buffers kept for the next file rather than a fresh one each (FileHandle.readFile): the file's
// bytes were a fifth of what a WAV audit allocated per sample, and that garbage (outside V8's heap) sets off full
// collections. A buffer goes back once its file is decoded, unless the decoded samples share its memory.
const spare: ArrayBuffer[] = [];
/** Buffers kept, and the largest kept: enough for the clips one thread decodes at once, never a long recording. */
const SPARE_COUNT = 4;
const SPARE_MAX_BYTES = 16 * 2 ** 20;

async function readInto(handle: FileHandle, size: number): Promise<Uint8Array> {
  const at = spare.findIndex((b) => b.byteLength >= size);
  const buffer = at >= 0 ? spare.splice(at, 1)[0] : new ArrayBuffer(size > SPARE_MAX_BYTES ? size : size + (size >> 2));
  const bytes = new Uint8Array(buffer, 0, size);
  let got = 0;
  while (got < size) {
    const { bytesRead } = await handle.read(bytes, got, size - got, got);
    if (bytesRead === 0) break; // the file shrank since its size was read
    got += bytesRead;
  }
  return bytes.subarray(0, got);
}

function giveBack(bytes: Uint8Array, outcome: DecodeOutcome | undefined): void {
  const { buffer } = bytes;
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength > SPARE_MAX_BYTES || spare.length >= SPARE_COUNT) return;
  if (outcome && outcome.audio.samples.buffer === buffer) return;
  spare.push(buffer);
}

/** Decode a file on disk; messages use `displayName` (e.g. the dataset-relative path), not `absPath`. */
export async function decodeFile(
  absPath: string,
  displayName: string = absPath,
  options: DecodeOptions = {},
): Promise<DecodeOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readGuarded(absPath, displayName, options);
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    const e = err as NodeJS.ErrnoException;
    // ENOTDIR: a path component is a file, so the clip does not exist either.
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR')
      throw new DecodeError('audio.missing', displayName, 'file not found');
    // Drop the absolute path Node puts in its messages ("EISDIR: illegal operation on a directory, read").
    const osMessage = (e.message ?? String(err)).split(absPath).join(displayName);
    throw new DecodeError('audio.corrupt', displayName, `cannot read file: ${osMessage}`);
  }
  let outcome: DecodeOutcome | undefined;
  try {
    outcome = await decodeBytes(bytes, displayName, options);
    return outcome;
  } finally {
    giveBack(bytes, outcome);
  }
}

/**
 * Decode the audio of one utterance. For a file ref, `offsetSec`/`durationSec` select a segment
 * (one long recording cut by a segments manifest); the returned samples and duration are the segment's.
 */
export async function decodeAudioRef(ref: AudioRef, options: DecodeOptions = {}): Promise<DecodeOutcome> {
  if (ref.kind === 'bytes') return decodeBytes(ref.bytes, ref.name, options);
  if (ref.kind === 'pcm') {
    if (ref.samples.length === 0) throw new DecodeError('audio.empty', ref.name, 'no samples');
    if (!(ref.sampleRate > 0))
      throw new DecodeError('audio.corrupt', ref.name, `sampling rate ${ref.sampleRate} is not positive`);
    // A parquet `array` cell may hold nulls, strings or NaN; as in a float WAV, one of them poisons every level.
    const bad = ref.samples.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DecodeError('audio.corrupt', ref.name, `sample ${bad} of the array is not a finite number`);
    const audio = {
      samples: ref.samples,
      sampleRate: ref.sampleRate,
      channels: 1,
      bitDepth: 32,
      codec: 'pcm_f32',
      durationSec: ref.samples.length / ref.sampleRate,
    };
    return withinLimits({ audio, problems: [] }, ref.name, options.limits ?? DEFAULT_LIMITS);
  }
  const outcome = await decodeFile(ref.path, ref.relPath, options);
  if (ref.offsetSec === undefined && ref.durationSec === undefined) return outcome;
  return sliceSegment(outcome, ref.offsetSec ?? 0, ref.durationSec);
}

function sliceSegment(outcome: DecodeOutcome, offsetSec: number, durationSec: number | undefined): DecodeOutcome {
  const { audio } = outcome;
  const problems: DecodeProblem[] = [...outcome.problems];
  const total = audio.samples.length;
  const fileSec = audio.durationSec.toFixed(3);
  const empty = (code: string, message: string, value?: number): DecodeOutcome => {
    problems.push({ code, message, value, threshold: value === undefined ? undefined : audio.durationSec });
    return { audio: { ...audio, samples: new Float32Array(0), durationSec: 0 }, problems };
  };
  if (!(Number.isFinite(offsetSec) && offsetSec >= 0) || (durationSec !== undefined && !(durationSec >= 0))) {
    return empty('audio.segment_invalid', `invalid segment: offset ${offsetSec} s, duration ${durationSec} s`);
  }
  const start = Math.round(offsetSec * audio.sampleRate);
  if (start >= total) {
    return empty(
      'audio.offset_out_of_range',
      `segment starts at ${offsetSec} s but the audio is only ${fileSec} s long`,
      offsetSec,
    );
  }
  const wanted = durationSec === undefined ? total - start : Math.round(durationSec * audio.sampleRate);
  const end = Math.min(total, start + wanted);
  if (start + wanted > total) {
    problems.push({
      code: 'audio.segment_past_end',
      message: `segment ${offsetSec}+${durationSec} s runs past the end of the audio (${fileSec} s); kept ${((end - start) / audio.sampleRate).toFixed(3)} s`,
      value: offsetSec + (durationSec ?? 0),
      threshold: audio.durationSec,
    });
  }
  // slice, not subarray: a view would keep the whole recording's samples alive for every segment.
  const samples = audio.samples.slice(start, end);
  return { audio: { ...audio, samples, durationSec: samples.length / audio.sampleRate }, problems };
}
