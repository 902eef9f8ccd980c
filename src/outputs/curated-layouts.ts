import { isAbsolute } from 'node:path';
import { audioFolderLayout } from './curated-audiofolder.js';
import { libriTtsLayout } from './curated-libritts.js';
import type { CuratedLayout, KeptClip } from './curated-types.js';

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
