import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Finding } from '../types.js';
import { readLines } from '../util/lines.js';
import { isFile, resolveInside } from '../util/paths.js';
import type { SourceItem, SourceOptions } from './types.js';

// Helpers shared by the manifest loaders (NeMo JSONL, CSV/TSV, MLS): locating a manifest, resolving its
// paths inside the dataset root, naming a finding by file and line.

export interface ManifestFile {
  abs: string;
  /** Relative to the dataset root: names the file in findings and in the curated output. */
  rel: string;
  /** Folders outside the root its audio paths may point into (`options.audioRoots`), absolute. */
  audioRoots: string[];
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
  const audioRoots = (options.audioRoots ?? []).map((r) => resolve(r));
  if (options.manifest !== undefined) {
    const inside = resolveInside(root, options.manifest);
    if (!inside || !(await isFile(inside.abs)) || !(await acceptNamed(inside.abs, inside.rel))) return undefined;
    return { abs: inside.abs, rel: inside.rel, audioRoots };
  }
  const names = await readdir(root).catch(() => [] as string[]);
  const found: ManifestFile[] = [];
  for (const name of names.sort()) {
    const abs = join(root, name);
    if ((await isFile(abs)) && (await fits(abs, name))) found.push({ abs, rel: name, audioRoots });
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The first few non-blank lines among the first `maxLines`, read without loading a possibly huge manifest: detection
 * runs on every candidate file of a folder, and one of millions of blank lines must not hold it up for minutes.
 */
export async function headLines(path: string, count = 1, maxLines = 1000): Promise<string[]> {
  const out: string[] = [];
  for await (const { line, text, tooLong } of readLines(path)) {
    if (line > maxLines) break;
    if (tooLong || text.trim() === '') continue;
    out.push(text);
    if (out.length >= count) break;
  }
  return out;
}

/**
 * An audio path from a manifest line: relative to the manifest's folder or absolute; must stay inside the root
 * or an allowed audio root. Outside the root the absolute path names the clip, as there is no shorter one.
 */
export function resolveAudio(root: string, manifest: ManifestFile, path: string) {
  const abs = isAbsolute(path) ? path : resolve(dirname(manifest.abs), path);
  const inside = resolveInside(root, abs);
  if (inside) return inside;
  for (const extra of manifest.audioRoots) {
    if (resolveInside(extra, abs)) return { abs: resolve(abs), rel: resolve(abs) };
  }
  return undefined;
}

/**
 * A value from a manifest as a message quotes it: in JSON quotes, cut to `max` characters, so a hostile 1 MiB cell
 * does not become a 1 MiB line of the report.
 */
export function quoted(value: string, max = 160): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
}

/** The reason a manifest line's audio path is refused, with the way to allow it. */
export function escapeReason(path: string): string {
  return `audio path ${quoted(path)} leaves the dataset root; skipped (to read audio kept elsewhere, allow its folder with --audio-root DIR)`;
}

/** Segments of one file need distinct ids, so the offset joins the path when there is no id column. */
export function clipId(explicit: string | undefined, rel: string, offset: number | undefined): string {
  if (explicit !== undefined && explicit !== '') return explicit;
  return offset === undefined ? rel : `${rel}@${offset}`;
}

export function lineFinding(
  code: string,
  file: string,
  line: number,
  reason: string,
  severity: Finding['severity'] = 'error',
): SourceItem {
  return { finding: { code, severity, message: `${file}:${line}: ${reason}`, origin: { file, line } } };
}
