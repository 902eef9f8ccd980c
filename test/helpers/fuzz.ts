import { expect } from 'vitest';
import fc from 'fast-check';
import type { Codec, DecodeOutcome } from '../../src/audio/codec.js';
import { decodeBytes } from '../../src/audio/decode.js';
import { DecodeError } from '../../src/audio/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/limits.js';

// Shared by the fuzz tests (test/fuzz/): a time and memory bound around each case, the checks that a decoder's or
// a loader's answer is one it may give, and the byte mutations the decoders are fed.

/** Every property runs from this seed, so a failure reproduces with the same inputs. */
export const SEED = 42;

export const fuzzRun = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

export interface Bound {
  /** Wall-clock time one case may take. */
  ms: number;
  /** Growth of the process's peak RSS one case may cause. */
  memMB: number;
}

/**
 * A loaded CI machine runs several test files per core (one case measured up to 20× its idle time), so the bound
 * catches a hang or a runaway, not a slow case.
 */
export const CASE_BOUND: Bound = { ms: 15_000, memMB: 256 };

/**
 * Runs one case and fails it when it outlasts `bound.ms` (a promise that never settles included) or raises the
 * process's peak RSS by more than `bound.memMB` (a header's length believed and allocated). A synchronous endless
 * loop cannot be interrupted from inside the process; it shows as the test file timing out.
 */
export async function bounded<T>(label: string, run: () => Promise<T> | T, bound: Bound = CASE_BOUND): Promise<T> {
  const peakBefore = process.resourceUsage().maxRSS;
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer within ${bound.ms} ms`)), bound.ms);
  });
  const settled = await Promise.race([Promise.resolve().then(run), late]).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  clearTimeout(timer);
  const ms = performance.now() - start;
  const grewMB = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  if (ms > bound.ms) throw new Error(`${label}: took ${ms.toFixed(0)} ms, more than ${bound.ms}`);
  if (grewMB > bound.memMB) throw new Error(`${label}: peak memory grew by ${grewMB.toFixed(0)} MB`);
  if ('error' in settled) throw settled.error;
  return settled.value;
}

/** A decode's answer: an outcome whose audio is consistent, or a DecodeError naming `file`. */
export type Answer = { outcome: DecodeOutcome } | { error: DecodeError };

/**
 * Awaits a decode and checks its answer. Anything but a DecodeError is a bug; so is a DecodeError that only wraps
 * a library's exception (decode.ts's last resort, "<codec> decoder failed: …"), because such a message tells the
 * user nothing about the file.
 */
export async function answer(file: string, decode: () => Promise<DecodeOutcome>): Promise<Answer> {
  let outcome: DecodeOutcome;
  try {
    outcome = await bounded(file, decode);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    expect(err.message.startsWith(`${file}: `), err.message).toBe(true);
    expect(err.reason, err.message).not.toMatch(/decoder failed:/);
    return { error: err };
  }
  const { audio, problems } = outcome;
  expect(audio.samples.length).toBeGreaterThan(0);
  expect(audio.durationSec).toBeCloseTo(audio.samples.length / audio.sampleRate, 6);
  expect(audio.channels).toBeGreaterThan(0);
  // NaN or infinite samples would poison every level and spectrum measured on the clip.
  expect(audio.samples.every(Number.isFinite), `${file}: non-finite samples`).toBe(true);
  for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
  return { outcome };
}

/** Limits tighter than every base file, so a codec that lets a header's length through unchecked is caught. */
export const TIGHT: Limits = {
  ...DEFAULT_LIMITS,
  maxDurationSec: 0.5,
  maxChannels: 2,
  minSampleRateHz: 8000,
  maxSampleRateHz: 48000,
};

/**
 * The codec alone, under TIGHT limits: it must throw only DecodeErrors, and any audio it returns must be within
 * the limits, because it is meant to refuse before it allocates (decode.ts checks once more, after the fact).
 */
export async function codecAnswer(codec: Codec, bytes: Uint8Array, file: string): Promise<Answer> {
  const a = await answer(file, async () => codec.decode(bytes, file, TIGHT));
  if ('outcome' in a) {
    const { samples, sampleRate, channels } = a.outcome.audio;
    expect(samples.length / sampleRate, `${file}: duration`).toBeLessThanOrEqual(TIGHT.maxDurationSec);
    expect(channels, `${file}: channels`).toBeLessThanOrEqual(TIGHT.maxChannels);
    expect(sampleRate, `${file}: rate`).toBeGreaterThanOrEqual(TIGHT.minSampleRateHz);
    expect(sampleRate, `${file}: rate`).toBeLessThanOrEqual(TIGHT.maxSampleRateHz);
  }
  return a;
}

/** A decoder under test both ways: through decodeBytes (the pipeline's door), then the codec alone (see codecAnswer). */
export function decodeBoth(codec: Codec, defaultFile: string) {
  return async (bytes: Uint8Array, file = defaultFile): Promise<Answer> => {
    await codecAnswer(codec, bytes, file);
    return answer(file, () => decodeBytes(bytes, file));
  };
}

/** What a decoder answers for `whole` cut at every offset of `cutOffsets`, tallied by code. */
export async function cutTally(
  whole: Uint8Array,
  decode: (bytes: Uint8Array) => Promise<Answer>,
): Promise<Record<string, number>> {
  const answers: Answer[] = [];
  for (const at of cutOffsets(whole.length)) answers.push(await decode(whole.subarray(0, at)));
  return tally(answers);
}

/** A copy of `base` with `edit` applied: each case mutates its own bytes. */
export function editedCopy(base: Uint8Array, edit: (b: Uint8Array) => void): Uint8Array {
  const b = Uint8Array.from(base);
  edit(b);
  return b;
}

/** Tallies answers by code (`ok`, `ok+audio.truncated`, `audio.corrupt`, …) so a test can show what it reached. */
export function tally(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const key = 'error' in a ? a.error.code : ['ok', ...new Set(a.outcome.problems.map((p) => p.code))].join('+');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export const u16le = (b: Uint8Array, at: number, v: number) =>
  new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);
export const u32le = (b: Uint8Array, at: number, v: number) =>
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);

/** Bit flips: positions are taken modulo the length, so any `nat` fits any file. */
export const flipsArb = (maxFlips = 8) =>
  fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: maxFlips });

export function flipped(base: Uint8Array, flips: { at: number; bit: number }[], from = 0): Uint8Array {
  const out = Uint8Array.from(base);
  for (const { at, bit } of flips) out[from + (at % (out.length - from))] ^= 1 << bit;
  return out;
}

/** Offsets to cut a file at: every one of its first `head` bytes, then `beyond` spread over the rest. */
export function cutOffsets(length: number, head = 4096, beyond = 100): number[] {
  const offsets = Array.from({ length: Math.min(head, length) }, (_, i) => i);
  const rest = length - head;
  for (let k = 0; k < beyond && rest > 0; k++) offsets.push(head + Math.floor(((k + 0.5) * rest) / beyond));
  return offsets;
}

/** Sample rates, channel counts and lengths no honest header carries. */
export const ABSURD = {
  rates: [0, 1, 999, 384001, 2 ** 31, 2 ** 32 - 1],
  channels: [0, 65, 255, 65535],
  bits: [0, 1, 7, 33, 64, 255, 65535],
  sizes: [0, 1, 0x7fffffff, 0x7ffff000, 0xfffffffe, 0xffffffff],
};
