import { extname, isAbsolute } from 'node:path';
import type { SourceOptions } from '../sources/types.js';
import type { KeptClip } from './curated-clips.js';
import { libriTtsLayout } from './curated-libritts.js';
import { audioFolderLayout } from './curated-audiofolder.js';
import type { Placer } from './curated-place.js';

export interface LayoutContext {
  root: string;
  options: SourceOptions;
  placer: Placer;
}

/** What a layout adds to the manifests its source writes: one session over the kept clips, in source order. */
export interface LayoutSession {
  clip(k: KeptClip, audio: string | undefined): Promise<void>;
  /** Files written, relative to curated/. */
  close(): Promise<string[]>;
}

/**
 * How one source layout becomes a dataset folder in curated/. The source's own `writeCurated` filters its manifests
 * (metadata.csv, trans.tsv, transcripts.txt, speaker tables); this places the kept clips' audio and the per-clip
 * files beside it, so the folder is the corpus' layout holding only the kept clips.
 */
export interface CuratedLayout {
  /** Where the clip's audio goes, relative to curated/; undefined leaves it where the manifest names it (absolute). */
  audioPath(k: KeptClip): string | undefined;
  /** Files of the layout a kept clip brings along, relative to the dataset root (VCTK's transcript). */
  companions?(k: KeptClip): string[];
  open?(ctx: LayoutContext): Promise<LayoutSession>;
  /**
   * False where the audio is not a file of the dataset (Hub rows): the trim is then given as offset and duration in
   * the emitted manifests instead. (A manifest line that gives an offset or duration is never cut either.)
   */
  trimsAudio: boolean;
}

/** The audio at the same relative path as in the dataset: the layout's own tree. Audio outside the root stays put. */
const sameTree = (k: KeptClip) => {
  const a = k.utterance.audio;
  return a.kind === 'file' && !isAbsolute(a.relPath) ? a.relPath : undefined;
};

const tree = (): CuratedLayout => ({ audioPath: sameTree, trimsAudio: true });

export const curatedLayouts: Record<string, CuratedLayout> = {
  ljspeech: tree(),
  // The transcript file the clip was read from (txt/<spk>/<utt>.txt), once for both microphones.
  vctk: { ...tree(), companions: (k) => [k.utterance.origin.file] },
  libritts: libriTtsLayout,
  mls: tree(),
  nemo: tree(),
  csv: tree(),
  hub: audioFolderLayout,
  parquet: audioFolderLayout,
};

/** A layout not listed keeps its tree: the audio at the paths its manifest names. */
export const layoutOf = (source: string): CuratedLayout => curatedLayouts[source] ?? tree();

/** A file name for audio that travels as bytes, from its id: letters, digits, `.`, `_`, `-`; the extension its name has. */
export function audioFileName(id: string, name: string): string {
  const stem =
    id
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 120) || 'clip';
  const ext = extname(name).toLowerCase();
  return `${stem}${/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.wav'}`;
}
