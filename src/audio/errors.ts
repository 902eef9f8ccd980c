// Errors and problems raised while turning encoded bytes into samples.

import type { LimitCode } from '../limits.js';
import type { FindingSpec } from '../types.js';

/** Findings of the decoding stage; a codec's own codes live in its file. */
export const decodeFindings: Record<string, FindingSpec> = {
  'audio.missing': { severity: 'error', description: 'the audio file does not exist' },
  'audio.outside_root': {
    severity: 'error',
    description: 'the audio path is a link that leads outside the dataset root (allow a folder with --audio-root)',
  },
  'audio.not_a_file': {
    severity: 'error',
    description: 'the audio path is a folder, FIFO, socket or device, not a regular file; not opened',
  },
  'audio.empty': { severity: 'error', description: 'the audio file or its data chunk is empty' },
  'audio.corrupt': { severity: 'error', description: 'the audio file cannot be parsed' },
  'audio.unsupported': { severity: 'error', description: 'an audio format tts-audit cannot decode' },
  'audio.truncated': { severity: 'error', description: 'the file ends before the length its header declares' },
  'audio.offset_out_of_range': {
    severity: 'error',
    description: "a manifest's offset lies beyond the end of the audio",
  },
  'audio.segment_invalid': {
    severity: 'error',
    description: "a manifest's offset or duration is negative or not a number",
  },
  'audio.segment_past_end': {
    severity: 'warning',
    description: "a manifest's segment runs past the end of the audio; what exists is analysed",
  },
};

export type DecodeErrorCode =
  | 'audio.missing'
  | 'audio.outside_root'
  | 'audio.not_a_file'
  | 'audio.empty'
  | 'audio.corrupt'
  | 'audio.unsupported'
  | LimitCode;

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
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}
