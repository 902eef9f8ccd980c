import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { manifestFindings } from '../../src/sources/findings.js';
import type { Source, SourceItem, SourceOptions } from '../../src/sources/types.js';
import type { Finding, Utterance } from '../../src/types.js';
import { bounded } from './fuzz.js';

// The loaders under fuzzed manifests (test/fuzz/manifests.test.ts, corpora.test.ts, parquet.test.ts): a corpus
// folder is written with some of its files mutated, the source read to its end within a bound, and every item
// checked to be an utterance inside the root or a finding that names its file (and line).

/** Pieces that mean something to one of the manifest formats, so random lines look almost like real ones. */
const TOKENS = [
  '|',
  '\t',
  ',',
  ';',
  '"',
  '""',
  "'",
  '\n',
  '\r\n',
  '\r',
  ' ',
  '  ',
  '\0',
  '\uFEFF',
  '\\',
  '/',
  '../',
  '..',
  '.',
  '-',
  '_',
  '#',
  ';;',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ':',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  '0',
  '42',
  '3.5',
  'a',
  'LJ001-0001',
  'p225',
  'p225_001',
  '8455',
  '8455_210777_000067_000000',
  '13697_11991_000000',
  'wavs/',
  'audio',
  'text',
  'audio_filepath',
  'duration',
  'offset',
  'speaker',
  'id',
  '"audio_filepath":',
  '"text":',
  '/etc/passwd',
  'F',
  'M',
  'English',
  'é',
  '😀',
  '\u0301',
  '\uD800',
  'ID AGE GENDER ACCENTS',
  'SPEAKER',
  ' | ',
  '.wav',
  '.flac',
  '.normalized.txt',
  'x'.repeat(300),
];

/** One line-ish string made of TOKENS and random text. */
export const lineArb = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string() }), {
    maxLength: 24,
  })
  .map((parts) => parts.join(''));

/**
 * Contents for a manifest whose real form is `base`: random bytes, random token lines, `base` with lines of
 * tokens spliced in, cut short, or with bits flipped.
 */
export function contentArb(base: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(base);
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    fc.array(lineArb, { maxLength: 12 }).map((lines) => Buffer.from(lines.join('\n'))),
    fc
      .tuple(fc.array(fc.tuple(fc.nat(), lineArb), { minLength: 1, maxLength: 6 }), fc.boolean())
      .map(([inserts, prefixed]) => {
        const lines = base.split('\n');
        for (const [at, line] of inserts) lines.splice(at % (lines.length + 1), 0, line);
        return Buffer.from((prefixed ? '\uFEFF' : '') + lines.join(prefixed ? '\r\n' : '\n'));
      }),
    fc.nat().map((at) => bytes.subarray(0, at % (bytes.length + 1))),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = Buffer.from(bytes);
      for (const [at, bit] of flips) if (b.length > 0) b[at % b.length] ^= 1 << bit;
      return b;
    }),
  );
}

/** Writes a corpus folder afresh: relative path → content (a folder for a trailing `/`). */
export function writeCorpus(root: string, files: Record<string, string | Buffer | Uint8Array>): void {
  rmSync(root, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    if (rel.endsWith('/')) {
      mkdirSync(join(root, rel), { recursive: true });
      continue;
    }
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

/** A finding quotes what it found, not all of it: a 1 MiB cell must not become a 1 MiB line of the report. */
export const MAX_MESSAGE = 1000;

function checkFinding(f: Finding, codes: Set<string>): void {
  expect(codes.has(f.code), `unknown code ${f.code}: ${f.message}`).toBe(true);
  expect(f.message.length, f.message.slice(0, 300)).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(['error', 'warning', 'info']).toContain(f.severity);
  const file = f.origin?.file;
  expect(file, f.message).toBeTruthy();
  const line = f.origin?.line;
  const row = f.origin?.row;
  const where =
    line !== undefined
      ? [`${file}:${line}: `]
      : row !== undefined
        ? [`${file} row ${row}`, `${file} rows ${row}–`]
        : [`${file}`];
  expect(
    where.some((w) => f.message.startsWith(w)),
    `${f.message} should start with ${where[0]}`,
  ).toBe(true);
}

function checkUtterance(u: Utterance): void {
  expect(typeof u.id === 'string' && u.id.length > 0, JSON.stringify(u.id)).toBe(true);
  expect(typeof u.text).toBe('string');
  if (u.audio.kind === 'file') {
    const rel = u.audio.relPath;
    expect(rel.startsWith('../') || rel === '..' || isAbsolute(rel), `audio path ${rel} leaves the root`).toBe(false);
  }
  expect(u.origin.file.length).toBeGreaterThan(0);
  if (u.origin.line !== undefined) expect(Number.isInteger(u.origin.line) && u.origin.line > 0).toBe(true);
}

export interface ReadOutcome {
  utterances: number;
  findings: Finding[];
  /** A whole-file problem raised as InputError (its message is checked to name one of `names`). */
  refused?: string;
}

/**
 * Reads `source` to its end within the case bound. Only utterances and findings may come out, or an InputError
 * naming one of `names` (the manifest, or the root for a layout that is not there); anything else fails the case.
 */
export async function readAll(
  source: Source,
  root: string,
  options: SourceOptions,
  names: string[],
): Promise<ReadOutcome> {
  const codes = new Set([...Object.keys(manifestFindings), ...Object.keys(source.findings ?? {})]);
  const out: ReadOutcome = { utterances: 0, findings: [] };
  try {
    await bounded(`${source.name} ${root}`, async () => {
      for await (const item of source.read(root, options) as AsyncIterable<SourceItem>) {
        if ('finding' in item) {
          checkFinding(item.finding, codes);
          out.findings.push(item.finding);
        } else {
          checkUtterance(item.utterance);
          out.utterances += 1;
        }
      }
    });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(
      names.some((n) => err.message.includes(n)),
      err.message,
    ).toBe(true);
    out.refused = err.message;
  }
  return out;
}
