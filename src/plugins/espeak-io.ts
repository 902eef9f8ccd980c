// What crosses the pipe to espeak-ng: text made safe and cut into the lines its stdin mode reads, and what comes
// back (phoneme lines, a WAV whose sizes are placeholders). Pure functions, tested without the program.

export class EspeakError extends Error {}

// espeak-ng reads stdin lines with fgets into 1000 bytes and would cut a longer one mid-character.
const MAX_LINE_BYTES = 900;
/** Control characters become spaces; `[`/`]` go, so text cannot open espeak-ng's `[[phoneme input]]`. */
export function sanitize(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cs}[\]\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A sanitized text as stdin lines of at most MAX_LINE_BYTES, cut at spaces (or between characters in a giant word). */
export function chunkLines(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  let bytes = 0;
  for (const word of text.split(' ')) {
    // 200 code points are at most 800 bytes.
    for (const piece of Buffer.byteLength(word) >= MAX_LINE_BYTES ? (word.match(/.{1,200}/gsu) ?? []) : [word]) {
      const size = Buffer.byteLength(piece) + 1;
      if (bytes + size > MAX_LINE_BYTES && line) {
        lines.push(line);
        [line, bytes] = ['', 0];
      }
      line = line ? `${line} ${piece}` : piece;
      bytes += size;
    }
  }
  return line ? [...lines, line] : lines.length ? lines : [''];
}

/** Phoneme tokens of one output line: language-switch marks `(en)` and stress marks dropped. */
export function tokens(line: string): string[] {
  return line
    .replace(/\([a-z]{2,3}(-[a-z0-9]+)*\)/g, ' ')
    .replace(/[ˈˌ]/g, '')
    .split(/\s+/)
    .filter(Boolean);
}

/** espeak-ng's `--stdout` WAV (16-bit mono PCM): its RIFF and data sizes are placeholders, so the data runs to the end. */
export function parseEspeakWav(buf: Buffer): { samples: Float32Array; sampleRate: number } {
  let sampleRate = 0;
  for (
    let at = 12;
    buf.toString('latin1', 8, 12) === 'WAVE' && at + 8 <= buf.length;
    at += 8 + buf.readUInt32LE(at + 4)
  ) {
    const id = buf.toString('latin1', at, at + 4);
    if (id === 'fmt ' && buf.readUInt16LE(at + 10) === 1 && buf.readUInt16LE(at + 22) === 16)
      sampleRate = buf.readUInt32LE(at + 12);
    if (id !== 'data' || !sampleRate) continue;
    const samples = new Float32Array(Math.floor((buf.length - at - 8) / 2));
    for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(at + 8 + 2 * i) / 32768;
    return { samples, sampleRate };
  }
  throw new EspeakError('espeak-ng wrote no 16-bit mono WAV');
}
