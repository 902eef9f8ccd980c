import { newFile, reasonsOf, seconds } from './curated-files.js';
import type { DroppedClip, EmitClip, Emitter } from './curated-types.js';

// lhotse's manifests, as `RecordingSet.from_file` and `SupervisionSet.from_file` read them: a Recording per audio
// file (id, sources [{type: 'file', channels, source}], sampling_rate, num_samples, duration, channel_ids) and a
// SupervisionSegment per clip (id, recording_id, start, duration, channel, text, speaker, language, gender; the
// normalized text under `custom`). A trim no copy applied is the supervision's start and duration. Paths are relative
// to curated/: run from there, or rebase them with `RecordingSet.with_path_prefix`.
// Fields: lhotse/audio/recording.py (Recording), lhotse/supervision.py (SupervisionSegment).

export const LHOTSE_RECORDINGS = 'recordings.jsonl.gz';
export const LHOTSE_SUPERVISIONS = 'supervisions.jsonl.gz';
export const LHOTSE_DROPPED = 'dropped.jsonl.gz';

export function openLhotseEmitter(dir: string): Emitter {
  const recordings = newFile(dir, LHOTSE_RECORDINGS);
  const supervisions = newFile(dir, LHOTSE_SUPERVISIONS);
  const dropped = newFile(dir, LHOTSE_DROPPED);
  // Segments of one file share its recording: written once, when its first segment comes.
  const segmentFiles = new Set<string>();
  return {
    async clip(c: EmitClip) {
      const recordingId = c.recordingId;
      const channels = Array.from({ length: c.channels }, (_, i) => i);
      const shared = recordingId !== c.id;
      if (!shared || !segmentFiles.has(recordingId)) {
        if (shared) segmentFiles.add(recordingId);
        await recordings.write(
          JSON.stringify({
            id: recordingId,
            sources: [{ type: 'file', channels, source: c.audio }],
            sampling_rate: c.sampleRate,
            num_samples: c.fileSamples,
            duration: c.fileSamples / c.sampleRate,
            channel_ids: channels,
          }) + '\n',
        );
      }
      await supervisions.write(
        JSON.stringify({
          id: c.id,
          recording_id: recordingId,
          start: seconds(c.offsetSec),
          duration: seconds(c.durationSec),
          channel: c.channels === 1 ? 0 : channels,
          text: c.text,
          ...(c.language !== undefined ? { language: c.language } : {}),
          ...(c.speaker !== undefined ? { speaker: c.speaker } : {}),
          ...(c.gender !== undefined ? { gender: c.gender } : {}),
          ...(c.normalizedText !== undefined ? { custom: { normalized_text: c.normalizedText } } : {}),
        }) + '\n',
      );
    },
    dropped: (id: string, d: DroppedClip) =>
      dropped.write(
        JSON.stringify({ id, origin: d.origin, duration: seconds(d.durationSec), reasons: reasonsOf(d) }) + '\n',
      ),
    close: async () => [await recordings.close(), await supervisions.close(), await dropped.close()],
  };
}
