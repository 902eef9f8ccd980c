import { join } from 'node:path';
import { jsonlWriter } from '../util/jsonl.js';
import type { KeptClip } from './curated-clips.js';
import { audioFileName, type CuratedLayout, type LayoutContext } from './curated-layouts.js';

// Hub and parquet datasets carry their audio inside the shards, so curated/ gets the kept clips as files in
// `audio/` and a `metadata.jsonl` naming each by `file_name`: the Hugging Face `audiofolder` layout, which
// `load_dataset("audiofolder", data_dir="curated")` reads. kept.jsonl (shard and row of each kept clip) stays beside it.

const METADATA = 'metadata.jsonl';

async function open(ctx: LayoutContext) {
  await ctx.placer.ensureDir(METADATA);
  const out = jsonlWriter(join(ctx.placer.dir, METADATA));
  return {
    async clip(k: KeptClip, audio: string | undefined) {
      if (audio === undefined) return;
      const u = k.utterance;
      await out.write({
        file_name: audio,
        id: u.id,
        text: u.text,
        ...(u.normalizedText !== undefined ? { normalized_text: u.normalizedText } : {}),
        ...(u.speaker !== undefined ? { speaker_id: u.speaker } : {}),
        ...(u.gender !== undefined ? { gender: u.gender } : {}),
        ...(u.language !== undefined ? { language: u.language } : {}),
        ...(u.split !== undefined ? { split: u.split } : {}),
      });
    },
    async close() {
      await out.close();
      return [METADATA];
    },
  };
}

export const audioFolderLayout: CuratedLayout = {
  audioPath: (k) => {
    const a = k.utterance.audio;
    return a.kind === 'file' ? undefined : `audio/${audioFileName(k.utterance.id, a.name)}`;
  },
  open,
  trimsAudio: true,
};
