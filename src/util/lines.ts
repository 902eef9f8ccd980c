import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { InputError } from '../errors.js';

/** One line of a text manifest, as read from disk. */
export interface ManifestLine {
  /** 1-based, as editors and error messages count. */
  line: number;
  /** Decoded text without BOM and without the `\n` / `\r\n` ending. */
  text: string;
  /** The exact bytes including the line ending, so a curated copy can be byte-identical. */
  raw: Buffer;
  /** Set when the line was longer than `maxLineBytes`; `text` is then empty and `raw` holds only its head. */
  tooLong?: boolean;
}

export interface ReadLinesOptions {
  /** A manifest line longer than this is hostile or binary; it is skipped, not buffered. */
  maxLineBytes?: number;
  /** The dataset root: a file whose real path (links resolved) lies outside it is refused, never read. */
  within?: string;
}

/** A manifest that is not a regular file inside the dataset: nothing of it is read, so nothing of it is quoted. */
export class UnreadableManifestError extends InputError {}

/**
 * Opens a text file of the dataset for reading: a link out of `within` is refused, and the type is checked on
 * the open handle, so a FIFO named like a manifest cannot block the run (O_NONBLOCK) and a device cannot
 * stream forever.
 */
async function openText(path: string, within: string | undefined): Promise<FileHandle> {
  if (within !== undefined) {
    const [real, root] = await Promise.all([realpath(path), realpath(within)]);
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep))
      throw new UnreadableManifestError(`${path}: is a link that leads outside the dataset root ${within}; not read`);
  }
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const info = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (!info.isFile()) {
    await handle.close();
    throw new UnreadableManifestError(`${path}: is not a regular file (a folder, FIFO or device); not read`);
  }
  return handle;
}

/** The chunks of a text file opened by `openText`; the handle closes with the stream. */
async function* chunksOf(path: string, within: string | undefined): AsyncGenerator<Buffer> {
  const handle = await openText(path, within);
  yield* handle.createReadStream() as AsyncIterable<Buffer>;
}

/** `limits.maxManifestLineKB`'s default, for readers of files the config does not reach (our own outputs). */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** Why a line `readLines` marked `tooLong` was skipped, naming the limit a user can raise. */
export function tooLongReason(maxLineBytes = DEFAULT_MAX_LINE_BYTES): string {
  return `line longer than ${Math.round(maxLineBytes / 1024)} KiB (limits.maxManifestLineKB); skipped`;
}

/**
 * Streams a text file line by line without holding it whole, keeping each line's raw bytes.
 * Splits on `\n` bytes (never inside a UTF-8 sequence), so CRLF, a missing final newline and a BOM all work.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<ManifestLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let lineNo = 0;

  const emit = (raw: Buffer): ManifestLine => {
    lineNo += 1;
    if (overflow) return { line: lineNo, text: '', raw: raw.subarray(0, 256), tooLong: true };
    let text = raw.toString('utf8');
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { line: lineNo, text, raw };
  };

  for await (const chunk of chunksOf(path, options.within)) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      // A line that fits in one chunk is measured here; one that spans chunks was measured as it grew.
      if (!overflow && pendingBytes + piece.length - 1 > maxLineBytes) {
        overflow = true;
        pending = [Buffer.concat([...pending, piece.subarray(0, 256)]).subarray(0, 256)];
      }
      const raw = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([...pending, piece]);
      yield emit(overflow ? pending[0] : raw);
      pending = [];
      pendingBytes = 0;
      overflow = false;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (!overflow) {
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
        if (pendingBytes > maxLineBytes) {
          overflow = true;
          pending = [Buffer.concat(pending).subarray(0, 256)];
        }
      }
    }
  }
  if (pendingBytes > 0 || overflow) yield emit(Buffer.concat(pending));
}

/** Non-empty lines of a text file, counted on the bytes (no decoding): a quick total for progress. */
export async function countLines(path: string, within?: string): Promise<number> {
  let count = 0;
  let inLine = false;
  for await (const chunk of chunksOf(path, within)) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) {
        if (inLine) count += 1;
        inLine = false;
      } else if (b !== 13 && b !== 32 && b !== 9) inLine = true;
    }
  }
  return inLine ? count + 1 : count;
}
