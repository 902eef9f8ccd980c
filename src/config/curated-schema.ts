import { z } from 'zod';

/** What `curated/` holds besides the source's own manifests. In the config so that `merge` replays the same choices. */
export const curatedSchema = z
  .strictObject({
    audio: z
      .enum(['symlink', 'hardlink', 'copy'])
      .default('symlink')
      .describe(
        "How curated/ holds each kept clip's audio: a relative symlink to the original file, a hard link, or a copy. Where the filesystem refuses a symlink, a hard link is tried, then a copy.",
      ),
    applyTrims: z
      .boolean()
      .default(false)
      .describe(
        'Write trimmed copies (same format, rate and bit depth) of clips with a suggested trim instead of links: WAV always, FLAC when the `flac` encoder is on PATH. Other clips keep the link and the trim stays in trims.jsonl and the emitted offsets.',
      ),
    emit: z
      .array(z.enum(['nemo', 'lhotse', 'csv']))
      .default([])
      .describe(
        'Manifests written into curated/ beside the layout: nemo (nemo.jsonl), lhotse (recordings.jsonl.gz, supervisions.jsonl.gz), csv (clips.csv); each with its list of dropped clips and why.',
      ),
  })
  .prefault({})
  .describe('The curated dataset folder: how audio is linked, whether trims are applied, which manifests are added.');

export type CuratedConfig = z.output<typeof curatedSchema>;
export type EmitFormat = CuratedConfig['emit'][number];
