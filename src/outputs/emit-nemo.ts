import { newFile, reasonsOf, seconds } from './curated-files.js';
import type { DroppedClip, EmitClip, Emitter } from './curated-types.js';

// NeMo's JSON-lines manifest, as its TTS and ASR datasets read it: `audio_filepath` (a relative path resolves from
// the manifest's folder, here curated/), `text`, `duration`, and `offset` when the clip starts inside the file;
// `normalized_text`, `speaker` and `lang` where known.
// https://docs.nvidia.com/nemo-framework/user-guide/latest/nemotoolkit/asr/datasets.html

export const NEMO_MANIFEST = 'nemo.jsonl';
export const NEMO_DROPPED = 'nemo.dropped.jsonl';

export function openNemoEmitter(dir: string): Emitter {
  const kept = newFile(dir, NEMO_MANIFEST);
  const dropped = newFile(dir, NEMO_DROPPED);
  return {
    clip: (c: EmitClip) =>
      kept.write(
        JSON.stringify({
          audio_filepath: c.audio,
          text: c.text,
          duration: seconds(c.durationSec),
          ...(c.wholeFile ? {} : { offset: seconds(c.offsetSec) }),
          ...(c.normalizedText !== undefined ? { normalized_text: c.normalizedText } : {}),
          ...(c.speaker !== undefined ? { speaker: c.speaker } : {}),
          ...(c.language !== undefined ? { lang: c.language } : {}),
        }) + '\n',
      ),
    dropped: (id: string, d: DroppedClip) =>
      dropped.write(
        JSON.stringify({ id, origin: d.origin, duration: seconds(d.durationSec), reasons: reasonsOf(d) }) + '\n',
      ),
    close: async () => [await kept.close(), await dropped.close()],
  };
}
