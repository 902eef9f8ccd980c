import { z } from 'zod';

export const prosodyConfig = z
  .strictObject({
    finalSec: z
      .number()
      .min(0.2)
      .max(1)
      .default(0.5)
      .describe(
        "The clip's end (s, before its last voiced frame) in which the final movement is found: the last stressed syllable and what follows it.",
      ),
    minFinalVoicedSec: z
      .number()
      .positive()
      .default(0.08)
      .describe('Voiced time (s) that end must hold for a final contour to be measured.'),
    minMoveSec: z
      .number()
      .positive()
      .default(0.08)
      .describe(
        "Voiced time (s) after the end's lowest or highest point for the movement to be fitted from that point (a question's rise from its low).",
      ),
    maxFromMedianSt: z
      .number()
      .positive()
      .default(10)
      .describe(
        "Pitch frames further than this from the clip's median F0 (semitones) are octave errors (creaky voice halves F0) and are left out.",
      ),
    minChangeSt: z
      .number()
      .positive()
      .default(1)
      .describe(
        'A final movement of at least this many semitones (and `minSlopeStPerSec`) is a rise or a fall; less is flat.',
      ),
    minSlopeStPerSec: z
      .number()
      .positive()
      .default(3)
      .describe(
        "…and at least this slope (semitones per second): espeak-ng's questions rise 10–30 st/s, its statements fall 13–22; a 2-semitone glide over 0.35 s is 5.7.",
      ),
    strongRiseSt: z
      .number()
      .positive()
      .default(3)
      .describe(
        'A statement whose end rises this many semitones or more gets `prosody.statement_rises` (a question-like or continuation rise).',
      ),
    monotoneMaleSt: z
      .number()
      .min(0)
      .default(0.7)
      .describe(
        'A male (labelled or estimated) voice whose F0 spread (robust standard deviation, semitones) is below this is monotone: plain read speech spreads 1–6.5 st (lowest real male sample here: 1.77, VCTK p226).',
      ),
    monotoneFemaleSt: z
      .number()
      .min(0)
      .default(0.8)
      .describe(
        'The same for a female voice (lowest real female sample here: 0.94, VCTK p230, whose low notes are creak left out as octave errors).',
      ),
    estimatedMaleBelowHz: z
      .number()
      .positive()
      .default(160)
      .describe(
        "Without a gender label, a clip whose median F0 is below this counts as male for the monotone threshold (between men's ≈ 85–155 Hz and women's ≈ 165–255 Hz).",
      ),
    minVoicedSec: z
      .number()
      .positive()
      .default(1)
      .describe('With less voiced speech than this (s) the F0 spread is not judged (too few frames to be stable).'),
    minPauseSec: z
      .number()
      .positive()
      .default(0.25)
      .describe('A silence at least this long (s) separates two segments whose paces are compared.'),
    minSegmentSec: z
      .number()
      .positive()
      .default(0.5)
      .describe('Segments shorter than this (s) are too short for a pace of their own.'),
    nucleusDipDb: z
      .number()
      .positive()
      .default(2)
      .describe(
        'A syllable nucleus is a voiced level peak this many dB above the dips either side (de Jong & Wempe 2009 use 2 dB).',
      ),
  })
  .prefault({});

export type ProsodyConfig = z.output<typeof prosodyConfig>;
