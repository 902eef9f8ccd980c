// Where a LibriTTS / LibriTTS-R tree keeps its splits, speaker table and bad-sample lists, found with a few
// directory listings so that detection never walks the corpus.

import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Finding, Origin } from '../types.js';
import { isFile } from '../util/paths.js';
import { listNames, malformed, readLibriSpeakers, tableLines, type SpeakerTable } from './speakers.js';

const FAILED_DIR = 'libritts_r_failed_speech_restoration_examples';
const SPEAKER_TABLES = ['SPEAKERS.txt', 'speakers.tsv'];
export const ID_PATTERN = /^[\w.-]+$/;
const UTTERANCE_FILE = /^\d+_\d+_\d+_\d+\.(wav|normalized\.txt|original\.txt)$|\.trans\.tsv$/;

export interface Split {
  /** The folder name, e.g. `test-clean`; it becomes each utterance's `split`. */
  name: string;
  /** Path of the split folder relative to the root: `''` when the root is the split. */
  prefix: string;
}

interface Layout {
  splits: Split[];
  /** Folders that may hold SPEAKERS.txt and the bad-sample lists: the root, and its parent when the root is one split. */
  lookIn: string[];
}

export const isId = (name: string) => /^\d+$/.test(name);

/**
 * The root holds speaker folders (one split) or split folders that hold speaker folders. `maxEntries` bounds each
 * listing (detection: the root may be any corpus, e.g. LJSpeech's `wavs/` of a million files beside its manifest).
 */
export async function findLayout(root: string, maxEntries = Infinity): Promise<Layout> {
  const abs = resolve(root);
  const children = await listNames(abs, 'dir', maxEntries);
  if (children.some(isId)) return { splits: [{ name: basename(abs), prefix: '' }], lookIn: [abs, dirname(abs)] };
  const splits: Split[] = [];
  for (const name of children) {
    if (name !== FAILED_DIR && (await listNames(join(abs, name), 'dir', maxEntries)).some(isId))
      splits.push({ name, prefix: `${name}/` });
  }
  return { splits, lookIn: [abs] };
}

/** A path for messages, relative to the root (`../SPEAKERS.txt` when found beside a split folder). */
function relName(root: string, path: string): string {
  return relative(resolve(root), path).split(sep).join('/');
}

async function badLists(layout: Layout): Promise<string[]> {
  const out: string[] = [];
  for (const dir of layout.lookIn) {
    for (const d of [dir, join(dir, FAILED_DIR)]) {
      for (const name of await listNames(d, 'file')) if (name.endsWith('_bad_sample_list.txt')) out.push(join(d, name));
    }
  }
  return out;
}

export async function describe(root: string, layout: Layout): Promise<string> {
  const folders = layout.lookIn.map((d) => basename(d));
  if (folders.some((f) => /^libritts[_-]r$/i.test(f)) || (await badLists(layout)).length > 0) return 'LibriTTS-R';
  if (folders.some((f) => /^libritts$/i.test(f))) return 'LibriTTS';
  return 'LibriTTS / LibriTTS-R';
}

/** Speakers, and chapters of each, that detection looks into: a few empty ones do not hide the layout. */
const DETECT_SPEAKERS = 8;
const DETECT_CHAPTERS = 3;
/**
 * Entries of one folder detection reads at most: LibriTTS's largest split holds 1,166 speaker folders and a chapter
 * a few hundred files, so a real tree is seen whole, and a folder of a million clips costs milliseconds.
 */
const DETECT_ENTRIES = 10_000;

export async function detect(root: string): Promise<boolean> {
  const layout = await findLayout(root, DETECT_ENTRIES);
  // A handful of speakers and chapters per split recognise the layout without walking the corpus.
  for (const split of layout.splits.slice(0, 3)) {
    const speakers = (await listNames(join(root, split.prefix), 'dir', DETECT_ENTRIES))
      .filter(isId)
      .slice(0, DETECT_SPEAKERS);
    for (const speaker of speakers) {
      const speakerDir = join(root, split.prefix, speaker);
      for (const chapter of (await listNames(speakerDir, 'dir', DETECT_ENTRIES))
        .filter(isId)
        .slice(0, DETECT_CHAPTERS)) {
        const files = await listNames(join(speakerDir, chapter), 'file', DETECT_ENTRIES);
        if (files.some((n) => UTTERANCE_FILE.test(n))) return true;
      }
    }
  }
  return false;
}

export async function speakerTable(root: string, layout: Layout): Promise<SpeakerTable | undefined> {
  for (const dir of layout.lookIn) {
    for (const name of SPEAKER_TABLES) {
      const path = join(dir, name);
      if (await isFile(path)) return readLibriSpeakers(path, relName(root, path), dir);
    }
  }
  return undefined;
}

/** Clip id → the bad-sample list line naming it; the lists are short, unlike the corpus. */
export async function readBadLists(root: string, layout: Layout, findings: Finding[]): Promise<Map<string, Origin>> {
  const bad = new Map<string, Origin>();
  for (const path of await badLists(layout)) {
    const file = relName(root, path);
    for await (const { line, text, tooLong } of tableLines(path, file, dirname(path), findings)) {
      const entry = text.trim();
      if (entry === '' && !tooLong) continue;
      const id = basename(entry).replace(/\.wav$/, '');
      if (tooLong || !entry.endsWith('.wav') || !ID_PATTERN.test(id)) {
        findings.push(malformed(file, line, 'expected a path ./<split>/<speaker>/<chapter>/<id>.wav'));
        continue;
      }
      if (!bad.has(id)) bad.set(id, { file, line });
    }
  }
  return bad;
}
