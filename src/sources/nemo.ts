import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Finding, Utterance } from '../types.js';
import { InputError } from '../errors.js';
import { readLines } from '../util/lines.js';
import { resolveInside } from '../util/paths.js';
import { filterLines } from './curate-lines.js';
import type { CurateArgs, Source, SourceItem, SourceOptions } from './types.js';

// NeMo manifests: one JSON object per line, `audio_filepath` relative to the manifest's folder or
// absolute, `offset`/`duration` cutting a segment out of a longer file (NeMo loads exactly that span).

// ---- Helpers shared with the CSV/TSV loader (table.ts): locating a manifest, resolving its paths. ----

export interface ManifestFile {
  abs: string;
  /** Relative to the dataset root: names the file in findings and in the curated output. */
  rel: string;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/**
 * The manifest to read: the one the user named (`options.manifest`, also set when the audit source is
 * the file itself), else the only file in the root that `fits`. Several fitting files → undefined,
 * because guessing which one is the training list would audit the wrong data silently.
 */
export async function findManifest(
  root: string,
  options: SourceOptions,
  fits: (abs: string, name: string) => Promise<boolean>,
  acceptNamed: (abs: string, name: string) => Promise<boolean> = fits,
): Promise<ManifestFile | undefined> {
  if (options.manifest !== undefined) {
    const inside = resolveInside(root, options.manifest);
    if (!inside || !(await isFile(inside.abs)) || !(await acceptNamed(inside.abs, inside.rel))) return undefined;
    return { abs: inside.abs, rel: inside.rel };
  }
  const names = await readdir(root).catch(() => [] as string[]);
  const found: ManifestFile[] = [];
  for (const name of names.sort()) {
    const abs = join(root, name);
    if ((await isFile(abs)) && (await fits(abs, name))) found.push({ abs, rel: name });
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The first few non-blank lines, read without loading a possibly huge manifest. */
export async function headLines(path: string, count = 1): Promise<string[]> {
  const out: string[] = [];
  for await (const { text, tooLong } of readLines(path)) {
    if (tooLong || text.trim() === '') continue;
    out.push(text);
    if (out.length >= count) break;
  }
  return out;
}

/** An audio path from a manifest line: relative to the manifest's folder or absolute; must stay inside the root. */
export function resolveAudio(root: string, manifest: ManifestFile, path: string) {
  return resolveInside(root, isAbsolute(path) ? path : resolve(dirname(manifest.abs), path));
}

/** Segments of one file need distinct ids, so the offset joins the path when there is no id column. */
export function clipId(explicit: string | undefined, rel: string, offset: number | undefined): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  return offset === undefined ? rel : `${rel}@${offset}`;
}

export function lineFinding(code: string, file: string, line: number, reason: string, severity: Finding['severity'] = 'error'): SourceItem {
  return { finding: { code, severity, message: `${file}:${line}: ${reason}`, origin: { file, line } } };
}

// ---- NeMo ----

const idField = z.union([z.string(), z.number()]).nullish();
const entrySchema = z.object({
  audio_filepath: z.string().min(1),
  text: z.string(),
  // Range checks (negative, past the end) belong to the decoder, which has codes for them.
  duration: z.number().nullish(),
  offset: z.number().nullish(),
  speaker: z.union([z.string(), z.number()]).nullish(),
  lang: z.string().nullish(),
  normalized_text: z.string().nullish(),
  id: idField,
  utt_id: idField,
});

const JSON_EXT = new Set(['.jsonl', '.json']);

async function looksNemo(abs: string): Promise<boolean> {
  const [first] = await headLines(abs);
  if (first === undefined) return false;
  try {
    const value: unknown = JSON.parse(first);
    return typeof value === 'object' && value !== null && 'audio_filepath' in value;
  } catch {
    return false;
  }
}

const fitsFolder = async (abs: string, name: string) => JSON_EXT.has(extname(name).toLowerCase()) && (await looksNemo(abs));
// A file the user named with a JSON extension is taken even if its first line is broken: read reports it.
const fitsNamed = async (abs: string, name: string) => JSON_EXT.has(extname(name).toLowerCase()) || (await looksNemo(abs));

type Parsed = { utterance: Utterance } | { code: string; reason: string } | undefined;

/** One manifest line → utterance, or the reason it is refused; undefined for a blank line. Shared by read and curate. */
function parseLine(root: string, manifest: ManifestFile, text: string, line: number): Parsed {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { code: 'source.malformed_line', reason: `not valid JSON (${(err as Error).message})` };
  }
  const parsed = entrySchema.safeParse(value);
  if (!parsed.success) {
    const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.join('.');
      if (!key) return `expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`;
      return obj && !(String(i.path[0]) in obj) ? `missing field "${key}"` : `field "${key}": ${i.message}`;
    });
    return { code: 'source.malformed_line', reason: problems.join('; ') };
  }
  const e = parsed.data;
  const inside = resolveAudio(root, manifest, e.audio_filepath);
  if (!inside) return { code: 'source.path_escape', reason: `audio path ${JSON.stringify(e.audio_filepath)} leaves the dataset root; line skipped` };
  const offset = e.offset ?? undefined;
  const explicit = e.id ?? e.utt_id;
  return {
    utterance: {
      id: clipId(explicit === undefined || explicit === null ? undefined : String(explicit).trim(), inside.rel, offset),
      audio: { kind: 'file', path: inside.abs, relPath: inside.rel, offsetSec: offset, durationSec: e.duration ?? undefined },
      text: e.text,
      normalizedText: e.normalized_text ?? undefined,
      speaker: e.speaker === undefined || e.speaker === null ? undefined : String(e.speaker),
      language: e.lang ?? undefined,
      origin: { file: manifest.rel, line },
    },
  };
}

async function manifestOf(root: string, options: SourceOptions): Promise<ManifestFile> {
  const manifest = await findManifest(root, options, fitsFolder, fitsNamed);
  if (!manifest) throw new InputError(`${root}: no single NeMo manifest found; name it (pass the .jsonl file itself)`);
  return manifest;
}

async function* read(root: string, options: SourceOptions): AsyncIterable<SourceItem> {
  const manifest = await manifestOf(root, options);
  for await (const { line, text, tooLong } of readLines(manifest.abs)) {
    if (tooLong) {
      yield lineFinding('source.malformed_line', manifest.rel, line, 'line longer than 1 MiB; skipped');
      continue;
    }
    const parsed = parseLine(root, manifest, text, line);
    if (parsed === undefined) continue;
    yield 'utterance' in parsed ? parsed : lineFinding(parsed.code, manifest.rel, line, parsed.reason);
  }
}

/** The kept lines of the manifest, byte-identical, under the same name; the audio stays where it is. */
async function writeCurated({ root, outDir, isKept, options }: CurateArgs) {
  const manifest = await manifestOf(root, options);
  const { kept, dropped } = await filterLines({
    from: manifest.abs,
    to: join(outDir, manifest.rel),
    idOf: (text, line) => {
      const parsed = parseLine(root, manifest, text, line);
      return parsed && 'utterance' in parsed ? parsed.utterance.id : undefined;
    },
    isKept,
  });
  return { files: [manifest.rel], kept, dropped };
}

export const nemo: Source = {
  name: 'nemo',
  title: 'NeMo JSON-lines manifest',
  expectsNormalizedText: false,
  expects:
    'one NeMo manifest (*.jsonl / *.json, one {"audio_filepath", "text", …} object per line) in the folder; when it holds several, pass the manifest file itself',
  detect: async (root, options) => (await findManifest(root, options, fitsFolder, fitsNamed)) !== undefined,
  read,
  writeCurated,
};
