import { z } from 'zod';

export const loudnessConfig = z
  .strictObject({
    minLufs: z
      .number()
      .default(-35)
      .describe(
        'Integrated loudness below this is a badly gained recording. The real corpus samples read −17 to −30 LUFS (LJSpeech −19 to −22, VCTK −17 to −27, LibriTTS −19 to −28, MLS −29); 5 LU under the quietest is no style choice, and normalising such a clip lifts its noise floor as much.',
      ),
    maxLufs: z
      .number()
      .default(-10)
      .describe(
        'Speech this loud has been limited, compressed hard or clipped: the loudest real sample reads −17 LUFS, and a model trained on squashed dynamics reproduces them.',
      ),
    maxTruePeakDbtp: z
      .number()
      .default(-0.5)
      .describe(
        'A true peak above this leaves no headroom: resampling reconstructs the inter-sample peaks and lossy codecs overshoot by a few tenths of a dB, so the clip clips downstream. Peak-normalised sources (VCTK p225, LJ001-0003) cross it.',
      ),
  })
  .prefault({});

export type LoudnessConfig = z.output<typeof loudnessConfig>;
