import { audioFileName, csvRow, newFile } from './curated-files.js';
import type { CuratedLayout, KeptClip, LayoutContext } from './curated-types.js';

// Hub and parquet datasets carry their audio inside the shards, so curated/ gets the kept clips as files in
// `audio/` and a `metadata.csv` naming each by `file_name`: the Hugging Face `audiofolder` layout, which
// `load_dataset("audiofolder", data_dir="curated")` reads (and tts-audit's CSV loader). kept.jsonl (shard and row of
// each kept clip) stays beside it.

const METADATA = 'metadata.csv';
const COLUMNS = ['file_name', 'id', 'text', 'normalized_text', 'speaker_id', 'gender', 'language', 'split'];

async function open(ctx: LayoutContext) {
  const out = newFile(ctx.placer.dir, METADATA);
  await out.write(csvRow(COLUMNS));
  return {
    async clip(k: KeptClip, audio: string | undefined) {
      if (audio === undefined) return;
      const u = k.utterance;
      await out.write(csvRow([audio, u.id, u.text, u.normalizedText, u.speaker, u.gender, u.language, u.split]));
    },
    close: async () => [await out.close()],
  };
}

export const audioFolderLayout: CuratedLayout = {
  audioPath: (k) => {
    const a = k.utterance.audio;
    return a.kind === 'file' ? undefined : `audio/${audioFileName(k.utterance.id, a.name)}`;
  },
  open,
  // The bytes are written as they come; a trim stays in trims.jsonl and the emitted offsets.
  trimsAudio: false,
};
