import { readdir } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import type { CuratedLayout, KeptClip, LayoutContext } from './curated-types.js';

// LibriTTS / LibriTTS-R: the source writes each chapter's trans.tsv with the kept rows; this adds, beside each kept
// wav, its `.normalized.txt` and `.original.txt`, the chapter's `.book.tsv`, and the corpus' speaker, chapter and book
// tables at the top of curated/, where lhotse's recipe and tts-audit's loader look for them.

const CORPUS_FILES = ['SPEAKERS.txt', 'speakers.tsv', 'CHAPTERS.txt', 'BOOKS.txt', 'LICENSE.txt', 'NOTE.txt'];

function companions(k: KeptClip): string[] {
  const a = k.utterance.audio;
  if (a.kind !== 'file') return [];
  const dir = posix.dirname(a.relPath);
  const id = k.utterance.id;
  const chapter = basename(dir);
  const speaker = basename(dirname(dir));
  return [
    `${dir}/${id}.normalized.txt`,
    `${dir}/${id}.original.txt`,
    // Once per chapter: the placer reports the second copy as existing and moves on.
    `${dir}/${speaker}_${chapter}.book.tsv`,
  ];
}

/** A split root (`test-clean/`) holds speaker folders (digits); a corpus root holds split folders. */
async function isSplit(root: string): Promise<boolean> {
  const names = await readdir(root, { withFileTypes: true }).catch(() => []);
  return names.some((d) => d.isDirectory() && /^\d+$/.test(d.name));
}

/** The corpus tables from the root, or from its parent when the root is one split, as the loader finds them. */
async function open(ctx: LayoutContext) {
  return {
    clip: async () => {},
    async close() {
      const root = resolve(ctx.root);
      const lookIn = (await isSplit(root)) ? [root, dirname(root)] : [root];
      const written: string[] = [];
      for (const name of CORPUS_FILES) {
        for (const dir of lookIn) {
          if ((await ctx.placer.text(name, join(dir, name))) === 'missing') continue;
          written.push(name);
          break;
        }
      }
      return written;
    },
  };
}

export const libriTtsLayout: CuratedLayout = {
  audioPath: (k) => (k.utterance.audio.kind === 'file' ? k.utterance.audio.relPath : undefined),
  companions,
  open,
  trimsAudio: true,
};
