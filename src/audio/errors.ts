// Errors and problems raised while turning encoded bytes into samples.

export type DecodeErrorCode = 'audio.missing' | 'audio.empty' | 'audio.corrupt' | 'audio.unsupported';

/**
 * A clip that cannot be decoded at all. `message` always starts with the file name so it can be
 * shown to a user as-is; `reason` is the same text without the file, for grouping.
 */
export class DecodeError extends Error {
  readonly reason: string;

  constructor(
    public readonly code: DecodeErrorCode,
    public readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'DecodeError';
    this.reason = message;
  }
}

/** A defect that still let us decode something (truncated data, segment past the end, …). */
export interface DecodeProblem {
  code: string;
  message: string;
  value?: number;
  threshold?: number;
}

/**
 * The first bytes of a buffer as a quoted, escaped string (`"ID3\x03"`), so an error says what the
 * file actually is (an MP3 renamed to .wav, an HTML error page, a Git LFS pointer, …).
 */
export function describeBytes(bytes: Uint8Array, count = 4): string {
  let out = '';
  for (let i = 0; i < Math.min(count, bytes.length); i++) {
    const b = bytes[i];
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}
