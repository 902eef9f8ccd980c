import { InputError } from '../errors.js';
import type { Source, SourceOptions } from '../sources/types.js';
import type { ClipResult, Utterance } from '../types.js';
import { readLines } from '../util/lines.js';
import { MAX_CLIP_LINE_BYTES } from './clips-log.js';
import type { ClipRecords } from '../types.js';
import type { KeptClip, TrimmedClip } from './curated-types.js';

export interface KeptClipsArgs {
  source: Source;
  root: string;
  options: SourceOptions;
  /** clips.jsonl of the run: every analysed clip, in source order. */
  clipsPath: string;
  isKept: (id: string) => boolean;
  trims: ClipRecords<TrimmedClip>;
}

/**
 * The kept clips in source order, one at a time: the source read again (for the audio reference, offsets and
 * bytes the log does not keep) joined with clips.jsonl (a subsequence of it, in the same order) and with the trims
 * (a subsequence of the kept clips, in the same order). Nothing is held but the current clip, whatever the corpus size.
 */
export async function* keptClips(args: KeptClipsArgs): AsyncGenerator<KeptClip> {
  const items = args.source.read(args.root, args.options)[Symbol.asyncIterator]();
  const trims = args.trims.entries()[Symbol.iterator]();
  const utteranceFor = async (id: string): Promise<Utterance> => {
    for (let next = await items.next(); !next.done; next = await items.next()) {
      if ('utterance' in next.value && next.value.utterance.id === id) return next.value.utterance;
    }
    throw new InputError(`${args.root}: the source no longer lists clip ${id}: the dataset changed during the run`);
  };
  const trimFor = (id: string): TrimmedClip | undefined => {
    for (let next = trims.next(); !next.done; next = trims.next()) if (next.value[0] === id) return next.value[1];
    return undefined;
  };
  try {
    for await (const l of readLines(args.clipsPath, { maxLineBytes: MAX_CLIP_LINE_BYTES })) {
      // This run's own log, just written: parsed, not validated again clip by clip.
      const clip = JSON.parse(l.text) as ClipResult;
      if (!args.isKept(clip.id)) continue;
      const utterance = await utteranceFor(clip.id);
      yield { utterance, clip, ...(args.trims.has(clip.id) ? { trim: trimFor(clip.id) } : {}) };
    }
  } finally {
    await items.return?.();
  }
}
