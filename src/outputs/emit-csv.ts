import { csvRow as row, newFile, reasonsOf, seconds } from './curated-files.js';
import type { DroppedClip, EmitClip, Emitter } from './curated-types.js';

// A plain RFC 4180 table for spreadsheets and pandas: one row per kept clip, the audio path relative to curated/.

export const CSV_MANIFEST = 'clips.csv';
export const CSV_DROPPED = 'dropped.csv';
export const CSV_COLUMNS = [
  'id',
  'audio',
  'text',
  'normalized_text',
  'speaker',
  'gender',
  'language',
  'offset',
  'duration',
] as const;
export const CSV_DROPPED_COLUMNS = ['id', 'file', 'line', 'duration', 'codes', 'reasons'] as const;

export function openCsvEmitter(dir: string): Emitter {
  const kept = newFile(dir, CSV_MANIFEST);
  const dropped = newFile(dir, CSV_DROPPED);
  let headers = false;
  const start = async () => {
    if (headers) return;
    headers = true;
    await kept.write(row([...CSV_COLUMNS]));
    await dropped.write(row([...CSV_DROPPED_COLUMNS]));
  };
  return {
    async clip(c: EmitClip) {
      await start();
      await kept.write(
        row([
          c.id,
          c.audio,
          c.text,
          c.normalizedText,
          c.speaker,
          c.gender,
          c.language,
          seconds(c.offsetSec),
          seconds(c.durationSec),
        ]),
      );
    },
    async dropped(id: string, d: DroppedClip) {
      await start();
      const reasons = reasonsOf(d);
      await dropped.write(
        row([
          id,
          d.origin.file,
          d.origin.line ?? d.origin.row,
          seconds(d.durationSec),
          reasons.map((r) => r.code).join(' '),
          reasons.map((r) => r.message).join('; '),
        ]),
      );
    },
    async close() {
      await start();
      return [await kept.close(), await dropped.close()];
    },
  };
}
