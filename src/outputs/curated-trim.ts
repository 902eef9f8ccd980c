import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { promisify } from 'node:util';

// Trimmed copies keep the container, rate and bit depth, so a recipe that read the original reads the copy: WAV by
// copying the sample bytes of the span (exact, any PCM or float depth), FLAC by re-encoding the span with the
// reference `flac` encoder (lossless, so the samples are those of the span). The span is [round(start·rate),
// round(end·rate)) as sox's `trim S =E` takes it.

const run = promisify(execFile);
const [TAG_PCM, TAG_FLOAT, TAG_EXTENSIBLE] = [0x1, 0x3, 0xfffe];

export type TrimOutcome = { written: true; sampleRate: number; samples: number } | { written: false; why: string };

const u16 = (b: Buffer, o: number) => b.readUInt16LE(o);
const u32 = (b: Buffer, o: number) => b.readUInt32LE(o);

/** A WAV's `fmt ` chunk (bytes as they are) and its data span; undefined for what this cannot cut sample-exactly. */
function wavParts(b: Buffer): { fmt: Buffer; rate: number; blockAlign: number; data: Buffer } | string {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WAVE')
    return 'not a RIFF/WAVE file (RF64 and RIFX are linked, not cut)';
  let fmt: Buffer | undefined;
  let data: Buffer | undefined;
  for (let pos = 12; pos + 8 <= b.length;) {
    const id = b.toString('latin1', pos, pos + 4);
    const size = u32(b, pos + 4);
    const body = b.subarray(pos + 8, Math.min(b.length, pos + 8 + size));
    if (id === 'fmt ') fmt = body;
    if (id === 'data') data = body;
    pos += 8 + size + (size % 2);
  }
  if (!fmt || fmt.length < 16 || !data) return 'no fmt or data chunk';
  const tag = u16(fmt, 0) === TAG_EXTENSIBLE && fmt.length >= 26 ? u16(fmt, 24) : u16(fmt, 0);
  if (tag !== TAG_PCM && tag !== TAG_FLOAT) return `WAV format tag 0x${tag.toString(16)} is not PCM or float`;
  const blockAlign = u16(fmt, 12);
  if (blockAlign === 0) return 'block align 0';
  return { fmt, rate: u32(fmt, 4), blockAlign, data };
}

const span = (rate: number, startSec: number, endSec: number, total: number) => {
  const from = Math.min(total, Math.max(0, Math.round(startSec * rate)));
  return { from, to: Math.max(from, Math.min(total, Math.round(endSec * rate))) };
};

async function trimWav(from: string, to: string, startSec: number, endSec: number): Promise<TrimOutcome> {
  const parts = wavParts(await readFile(from));
  if (typeof parts === 'string') return { written: false, why: parts };
  const { fmt, rate, blockAlign, data } = parts;
  const frames = Math.floor(data.length / blockAlign);
  const s = span(rate, startSec, endSec, frames);
  const body = data.subarray(s.from * blockAlign, s.to * blockAlign);
  const head = Buffer.alloc(12 + 8);
  head.write('RIFF', 0, 'latin1');
  const fmtPad = fmt.length % 2;
  const bodyPad = body.length % 2;
  head.writeUInt32LE(4 + 8 + fmt.length + fmtPad + 8 + body.length + bodyPad, 4);
  head.write('WAVE', 8, 'latin1');
  head.write('fmt ', 12, 'latin1');
  head.writeUInt32LE(fmt.length, 16);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'latin1');
  dataHead.writeUInt32LE(body.length, 4);
  const pad = (n: number) => Buffer.alloc(n);
  await writeFile(to, Buffer.concat([head, fmt, pad(fmtPad), dataHead, body, pad(bodyPad)]), { flag: 'wx' });
  return { written: true, sampleRate: rate, samples: s.to - s.from };
}

/** Sample rate and length from a FLAC's STREAMINFO block, which the format puts first. */
async function flacInfo(path: string): Promise<{ rate: number; total: number } | undefined> {
  const b = await readFile(path);
  if (b.length < 42 || b.toString('latin1', 0, 4) !== 'fLaC' || (b[4] & 0x7f) !== 0) return undefined;
  const si = b.subarray(8, 42);
  const rate = (si[10] << 12) | (si[11] << 4) | (si[12] >> 4);
  const total = (si[13] & 0x0f) * 2 ** 32 + si.readUInt32BE(14);
  return { rate, total };
}

async function trimFlac(from: string, to: string, startSec: number, endSec: number): Promise<TrimOutcome> {
  const info = await flacInfo(from);
  if (!info || info.total === 0) return { written: false, why: 'FLAC without a sample count in STREAMINFO' };
  const s = span(info.rate, startSec, endSec, info.total);
  if (s.to === s.from) return { written: false, why: 'empty span' };
  try {
    await run('flac', ['--silent', '--no-preserve-modtime', `--skip=${s.from}`, `--until=${s.to}`, '-o', to, from]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      written: false,
      why: e.code === 'ENOENT' ? 'the flac encoder is not on PATH' : `flac failed: ${e.message}`,
    };
  }
  return { written: true, sampleRate: info.rate, samples: s.to - s.from };
}

/** Writes `to` as the span [startSec, endSec) of `from`, or says why it cannot (the caller links the file instead). */
export async function writeTrimmed(from: string, to: string, startSec: number, endSec: number): Promise<TrimOutcome> {
  const ext = extname(from).toLowerCase();
  if (ext === '.wav') return trimWav(from, to, startSec, endSec);
  if (ext === '.flac') return trimFlac(from, to, startSec, endSec);
  return { written: false, why: `no trimmed copy for ${ext || 'files without an extension'}` };
}
