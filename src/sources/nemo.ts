// NeMo manifests — the JSON-lines format NVIDIA NeMo's TTS and ASR recipes (and NeMo's speech data processor)
// read and write, so any corpus prepared for NeMo can be audited as it is.
//   home:    https://docs.nvidia.com/nemo-framework/user-guide/latest/nemotoolkit/asr/datasets.html
//   licence: a format, not a corpus; the data keeps its own licence
//   layout:  <manifest>.json(l)   one object per line: `audio_filepath` (relative to the manifest's folder or
//                                 absolute), `text`, `duration`, optional `offset`, `speaker`, `lang`, …
//   `offset`/`duration` cut a segment out of a longer file; NeMo loads exactly that span, and so does the audit.

import { extname, join } from 'node:path';
import { z } from 'zod';
import type { Utterance } from '../types.js';
import { InputError } from '../errors.js';
import { countLines, readLines, tooLongReason } from '../util/lines.js';
import { filterLines } from './curate-lines.js';
import type { CurateArgs, Source, SourceItem, SourceOptions } from './types.js';
import {
  clipId,
  escapeReason,
  findManifest,
  headLines,
  lineFinding,
  resolveAudio,
  type ManifestFile,
} from './manifest.js';

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

const fitsFolder = async (abs: string, name: string) =>
  JSON_EXT.has(extname(name).toLowerCase()) && (await looksNemo(abs));
// A file the user named with a JSON extension is taken even if its first line is broken: read reports it.
const fitsNamed = async (abs: string, name: string) =>
  JSON_EXT.has(extname(name).toLowerCase()) || (await looksNemo(abs));

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
    const obj =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.join('.');
      if (!key) return `expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`;
      return obj && !(String(i.path[0]) in obj) ? `missing field "${key}"` : `field "${key}": ${i.message}`;
    });
    return { code: 'source.malformed_line', reason: problems.join('; ') };
  }
  const e = parsed.data;
  const inside = resolveAudio(root, manifest, e.audio_filepath);
  if (!inside)
    return {
      code: 'source.path_escape',
      reason: escapeReason(e.audio_filepath),
    };
  const offset = e.offset ?? undefined;
  const explicit = e.id ?? e.utt_id;
  return {
    utterance: {
      id: clipId(explicit === undefined || explicit === null ? undefined : String(explicit).trim(), inside.rel, offset),
      audio: {
        kind: 'file',
        path: inside.abs,
        relPath: inside.rel,
        offsetSec: offset,
        durationSec: e.duration ?? undefined,
      },
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
  for await (const { line, text, tooLong } of readLines(manifest.abs, {
    within: root,
    maxLineBytes: options.maxLineBytes,
  })) {
    if (tooLong) {
      yield lineFinding('source.malformed_line', manifest.rel, line, tooLongReason(options.maxLineBytes));
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
  readsNamedManifest: true,
  count: async (root, options) => {
    const manifest = await findManifest(root, options, fitsFolder, fitsNamed);
    return manifest ? countLines(manifest.abs, root) : undefined;
  },
  title: 'NeMo JSON-lines manifest',
  expectsNormalizedText: false,
  expects:
    'one NeMo manifest (*.jsonl / *.json, one {"audio_filepath", "text", …} object per line) in the folder; when it holds several, pass the manifest file itself',
  detect: async (root, options) => (await findManifest(root, options, fitsFolder, fitsNamed)) !== undefined,
  read,
  curatedNames: async (root, options) => [(await manifestOf(root, options)).rel],
  writeCurated,
};
