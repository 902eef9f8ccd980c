// Multilingual LibriSpeech (MLS) — LibriVox audiobooks in 8 languages (English ~44.5k h; German, Dutch,
// French, Spanish, Italian, Portuguese, Polish ~6k h together), 16 kHz, lower-case transcripts without punctuation.
//   home:    https://www.openslr.org/94/
//   licence: CC BY 4.0 (Pratap et al., Facebook AI)
//   layout:  mls_<lang>[_opus]/metainfo.txt                 `speaker | gender | partition | minutes | book | …`
//            <split>/transcripts.txt                        `id \t text`, no header
//            <split>/segments.txt                           `id \t source URL \t start \t end`
//            <split>/audio/<spk>/<book>/<id>.flac | .opus   (Opus decodes at its OpusHead rate, 16 kHz)
//            train/limited_supervision/{9hr,1hr/<k>}/handles.txt
//   The root may be the language folder, one split folder, or a folder of language folders (mls_german/,
//   mls_french_opus/, …: one audit of a multilingual set, as lhotse's recipe takes several languages).

import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { readLines, tooLongReason } from '../util/lines.js';
import { isFile, resolveInside } from '../util/paths.js';
import { filterLines } from './curate-lines.js';
import { headLines, lineFinding } from './manifest.js';
import type { CurateArgs, Source, SourceItem, SourceOptions } from './types.js';
import { MLS_LANGUAGES } from './mls-languages.js';

const SPLITS = ['train', 'dev', 'test'];
const ID = /^(\d+)_(\d+)_(\d+)$/;

interface Split {
  /** `train`, `dev`, `test`; undefined for a split folder named otherwise. */
  name?: string;
  /** Path of the split folder relative to the root: `train/`, or `` when the root is the split. */
  prefix: string;
}

/** One language of the root: the root itself, the language folder above a split root, or a subfolder. */
interface Layout {
  splits: Split[];
  language?: string;
  /** The language folder (root, its parent, or a subfolder): where metainfo.txt lives. */
  languageDir: string;
  /** The language folder relative to the root (`mls_german/`), `` when the root is the language or a split. */
  dir: string;
  /** False when the root is a split folder: --split does not apply and metainfo.txt is not the root's to copy. */
  isLanguage: boolean;
}

/** `mls_spanish_opus`, `spanish`, `es` → `es`. */
function languageOf(folder: string): string | undefined {
  const name = folder
    .toLowerCase()
    .replace(/^mls_/, '')
    .replace(/_(opus|flac)$/, '');
  return MLS_LANGUAGES[name] ?? (Object.values(MLS_LANGUAGES).includes(name) ? name : undefined);
}

/** A transcripts.txt whose first lines carry MLS ids; cheap, and keeps other `transcripts.txt` layouts out. */
async function isTranscripts(path: string): Promise<boolean> {
  if (!(await isFile(path))) return false;
  const head = await headLines(path, 5);
  return head.some((l) => /^\d+_\d+_\d+\t/.test(l));
}

async function languageLayout(root: string, dir: string): Promise<Layout | undefined> {
  const abs = resolve(root, dir);
  const splits: Split[] = [];
  for (const name of SPLITS)
    if (await isTranscripts(join(abs, name, 'transcripts.txt'))) splits.push({ name, prefix: `${dir}${name}/` });
  if (splits.length === 0) return undefined;
  return { splits, language: languageOf(basename(abs)), languageDir: abs, dir, isLanguage: true };
}

/** The languages under the root, in name order: one when the root is a language or split folder. */
async function layoutOf(root: string): Promise<Layout[] | undefined> {
  const abs = resolve(root);
  const own = await languageLayout(abs, '');
  if (own) return [own];
  if (await isTranscripts(join(abs, 'transcripts.txt'))) {
    const name = basename(abs);
    const split = { name: SPLITS.includes(name) ? name : undefined, prefix: '' };
    const language = languageOf(basename(dirname(abs)));
    return [{ splits: [split], language, languageDir: dirname(abs), dir: '', isLanguage: false }];
  }
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  const languages: Layout[] = [];
  // Only folders named as a language (mls_german_opus, spanish, pl) are looked into: detection stays a few stats
  // however many folders another layout keeps at its root.
  const named = entries.filter((e) => e.isDirectory() && languageOf(e.name) !== undefined);
  for (const e of named.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const layout = await languageLayout(abs, `${e.name}/`);
    if (layout) languages.push(layout);
  }
  return languages.length > 0 ? languages : undefined;
}

/**
 * Speaker → gender from metainfo.txt (` SPEAKER | GENDER | PARTITION | …`, one row per book, padded).
 * Small (one row per speaker and book), so it is held whole. Read from the language folder even when the
 * root is a split folder: that is where the corpus keeps it.
 */
async function genders(languageDir: string): Promise<Map<string, string> | undefined> {
  const path = join(languageDir, 'metainfo.txt');
  if (!(await isFile(path))) return undefined;
  const map = new Map<string, string>();
  try {
    for await (const { text } of readLines(path, { within: languageDir })) {
      const [spk, gender] = text.split('|').map((f) => f.trim());
      // The header (`SPEAKER`) and anything unexpected are skipped: this is metadata, not a clip list.
      if (spk && /^\d+$/.test(spk) && gender) map.set(spk, gender);
    }
  } catch {
    return undefined; // a link out of the corpus or a FIFO: speakers' genders stay unknown
  }
  return map;
}

/** A transcripts.txt line → its parts, a reason it is malformed, or undefined when blank. Shared by read and curate. */
function parseLine(text: string): { id: string; spk: string; book: string; text: string } | string | undefined {
  if (text.trim() === '') return undefined;
  const fields = text.split('\t');
  if (fields.length !== 2)
    return fields.length < 2
      ? 'expected `id<TAB>text`, found no tab'
      : `expected 2 tab-separated fields, found ${fields.length}`;
  const id = fields[0].trim();
  const m = ID.exec(id);
  if (!m) return `clip id ${JSON.stringify(id.slice(0, 40))} is not <speaker>_<book>_<segment> (digits)`;
  return { id, spk: m[1], book: m[2], text: fields[1] };
}

/** The splits to read over every language: all, or the one `--split` names (an error lists those there). */
function chosenSplits(layouts: Layout[], root: string, options: SourceOptions): { layout: Layout; split: Split }[] {
  const all = layouts.flatMap((layout) => layout.splits.map((split) => ({ layout, split })));
  if (!options.split || !layouts[0].isLanguage) return all;
  const chosen = all.filter(({ split }) => split.name === options.split);
  if (chosen.length === 0)
    throw new InputError(
      `${root}: no split ${JSON.stringify(options.split)}; found ${[...new Set(all.map((c) => c.split.name))].join(', ')}`,
    );
  return chosen;
}

async function* read(root: string, options: SourceOptions = {}): AsyncIterable<SourceItem> {
  const layouts = await layoutOf(root);
  if (!layouts) throw new InputError(`${root}: not an MLS language, split or multilingual folder`);
  let current: Layout | undefined;
  let genderOf: Map<string, string> | undefined;
  let ext = '.flac';
  const unknown = new Set<string>();
  for (const { layout, split } of chosenSplits(layouts, root, options)) {
    if (layout !== current) {
      current = layout;
      genderOf = await genders(layout.languageDir);
      unknown.clear();
      // Releases are all-FLAC or all-Opus, so the extension found last is tried first: one stat per clip.
      ext = /_opus$/i.test(basename(layout.languageDir)) ? '.opus' : '.flac';
    }
    const file = `${split.prefix}transcripts.txt`;
    for await (const { line, text, tooLong } of readLines(join(root, file), {
      within: root,
      maxLineBytes: options.maxLineBytes,
    })) {
      const malformed = (reason: string) => lineFinding('source.malformed_line', file, line, reason);
      if (tooLong) {
        yield malformed(tooLongReason(options.maxLineBytes));
        continue;
      }
      const parsed = parseLine(text);
      if (parsed === undefined) continue;
      if (typeof parsed === 'string') {
        yield malformed(parsed);
        continue;
      }
      const { id, spk, book } = parsed;
      const stem = `${split.prefix}audio/${spk}/${book}/${id}`;
      if (!(await isFile(join(root, stem + ext)))) {
        const other = ext === '.flac' ? '.opus' : '.flac';
        // A missing file keeps the usual extension: the decoder then reports audio.missing for it.
        if (await isFile(join(root, stem + other))) ext = other;
      }
      const inside = resolveInside(root, stem + ext)!;
      if (genderOf && genderOf.size > 0 && !genderOf.has(spk) && !unknown.has(spk)) {
        unknown.add(spk);
        yield lineFinding(
          'source.unknown_speaker',
          file,
          line,
          `speaker ${spk} is not in metainfo.txt (reported once)`,
          'info',
        );
      }
      yield {
        utterance: {
          id,
          audio: { kind: 'file', path: inside.abs, relPath: inside.rel },
          text: parsed.text,
          speaker: spk,
          gender: genderOf?.get(spk),
          language: layout.language,
          split: split.name,
          origin: { file, line },
        },
      };
    }
  }
}

const transcriptId = (text: string) => {
  const parsed = parseLine(text);
  return typeof parsed === 'object' ? parsed.id : undefined;
};
// segments.txt and handles.txt lines start with the clip id (then a tab, or nothing).
const leadingId = (text: string) => {
  const id = text.split('\t')[0].trim();
  return ID.test(id) ? id : undefined;
};

/**
 * Filtered transcripts.txt and segments.txt per split, and filtered limited-supervision handles.txt so
 * the 9h/1h subsets name no dropped clip; metainfo.txt copied as is. The audio stays where it is.
 */
async function writeCurated({ root, outDir, isKept, options }: CurateArgs) {
  const layouts = await layoutOf(root);
  if (!layouts) throw new InputError(`${root}: not an MLS language, split or multilingual folder`);
  const files: string[] = [];
  let kept = 0;
  let dropped = 0;
  const filter = async (rel: string, idOf = leadingId) => {
    const r = await filterLines({ from: join(root, rel), to: join(outDir, rel), idOf, isKept });
    files.push(rel);
    return r;
  };
  for (const { split } of chosenSplits(layouts, root, options)) {
    const r = await filter(`${split.prefix}transcripts.txt`, transcriptId);
    kept += r.kept;
    dropped += r.dropped;
    if (await isFile(join(root, split.prefix, 'segments.txt'))) await filter(`${split.prefix}segments.txt`);
    const limited = join(root, split.prefix, 'limited_supervision');
    const entries = await readdir(limited, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries.filter((e) => basename(e) === 'handles.txt').sort()) {
      await filter(`${split.prefix}limited_supervision/${entry.split(sep).join('/')}`);
    }
  }
  for (const { dir, isLanguage } of layouts) {
    if (!isLanguage || !(await isFile(join(root, dir, 'metainfo.txt')))) continue;
    await mkdir(join(outDir, dir), { recursive: true });
    await copyFile(join(root, dir, 'metainfo.txt'), join(outDir, dir, 'metainfo.txt'));
    files.push(`${dir}metainfo.txt`);
  }
  return { files, kept, dropped };
}

export const mls: Source = {
  name: 'mls',
  title: 'Multilingual LibriSpeech (MLS)',
  nominalFormat: { sampleRate: 16000, channels: 1, bitDepth: 16 },
  expectsNormalizedText: true,
  expects:
    'an MLS language folder (train/, dev/, test/ each with transcripts.txt), one split folder (transcripts.txt with <spk>_<book>_<seg> ids, audio/), or a folder of language folders',
  detect: async (root) => (await layoutOf(root)) !== undefined,
  read,
  writeCurated,
};
