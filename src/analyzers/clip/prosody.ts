import { z } from 'zod';
import { clipProsody, contourOf, type ClipProsody } from '../../features/prosody.js';
import { sentenceType } from '../../text/sentences.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { genderOf } from './pitch.js';

// Prosody of each clip from the pitch track and frame levels the feature stage keeps (src/features/prosody.ts):
// how far the voice moves in pitch, how its last words move, how its loudness and pace vary. A TTS model learns
// intonation only from what it hears, so a question read with a falling end, or a voice that barely moves,
// becomes the model's habit.

const config = z
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

type Config = z.output<typeof config>;

const METRICS = {
  'prosody.f0_range_st': '95th minus 5th percentile of F0 over voiced speech (semitones)',
  'prosody.f0_spread_st':
    'robust standard deviation of F0 over voiced speech: 1.4826 × median absolute deviation (semitones)',
  'prosody.f0_std_st': 'standard deviation of F0 over voiced speech (semitones)',
  'prosody.final_slope_st_per_sec':
    "slope of the final F0 movement, from the last turning point in the clip's last `finalSec` to its end (semitones per second; > 0 rises)",
  'prosody.final_change_st':
    'pitch change of that final movement: its fitted slope times its length (semitones; > 0 rises)',
  'prosody.energy_spread_db': '90th minus 10th percentile of the frame level over voiced speech (dB)',
  'prosody.syllable_rate':
    'syllable nuclei (voiced level peaks) per second of speech, over segments of `minSegmentSec` or more',
  'prosody.pace_spread':
    'coefficient of variation (standard deviation / mean, 0–1) of the syllable rate across pause-separated segments; needs two segments',
} as const;

export const prosody = defineClipAnalyzer({
  name: 'prosody',
  description:
    'F0 range and spread in semitones, the final contour (rise / fall / flat), loudness and pace variation, from the pitch track and frame levels.',
  config,
  metrics: METRICS,
  findings: {
    'prosody.monotone': {
      severity: 'info',
      description:
        'F0 spread below `monotoneMaleSt` / `monotoneFemaleSt` for the voice’s gender (labelled, else estimated from its median F0): a flat, monotone reading',
    },
    'prosody.question_falls': {
      severity: 'info',
      description:
        'the transcript is a question ("?", or an opening "¿") but the end of the clip falls or stays flat: the model learns questions without their rise',
    },
    'prosody.statement_rises': {
      severity: 'info',
      description:
        'the transcript is a statement (final "." or "…") but the end rises by `strongRiseSt` or more: the model learns statements that sound like questions',
    },
  },
  analyze({ utterance, features, speech, config: c }): ClipAnalysis {
    const p = clipProsody(
      { pitch: features.pitch, rmsDb: features.rmsDb, hopSec: features.hopSec, isSpeech: speech.isSpeech },
      c,
    );
    if (p.voicedFrames === 0) return { metrics: {}, findings: [] };
    const metrics: Record<string, number> = {
      'prosody.f0_range_st': p.f0RangeSt,
      'prosody.f0_spread_st': p.f0SpreadSt,
      'prosody.f0_std_st': p.f0StdSt,
    };
    const optional: [keyof typeof METRICS, number | undefined][] = [
      ['prosody.final_slope_st_per_sec', p.finalSlopeStPerSec],
      ['prosody.final_change_st', p.finalChangeSt],
      ['prosody.energy_spread_db', p.energySpreadDb],
      ['prosody.syllable_rate', p.syllableRate],
      ['prosody.pace_spread', p.paceSpread],
    ];
    for (const [k, v] of optional) if (v !== undefined && Number.isFinite(v)) metrics[k] = v;
    const findings: FindingDraft[] = [];
    const monotone = monotoneFinding(p, c, utterance.gender, p.medianHz);
    if (monotone) findings.push(monotone);
    const annotations: Record<string, string> = {};
    if (p.finalChangeSt !== undefined && p.finalSlopeStPerSec !== undefined) {
      const contour = contourOf(p.finalChangeSt, p.finalSlopeStPerSec, c);
      annotations['prosody.final'] = contour;
      const mismatch = textMismatch(sentenceType(utterance.text), contour, p.finalChangeSt, c);
      if (mismatch) findings.push(mismatch);
    }
    return { metrics, findings, annotations };
  },
});

function monotoneFinding(p: ClipProsody, c: Config, label: string | undefined, median: number) {
  if (p.voicedSec < c.minVoicedSec || !Number.isFinite(p.f0SpreadSt)) return undefined;
  const labelled = genderOf(label);
  const gender = labelled ?? (median < c.estimatedMaleBelowHz ? 'm' : 'f');
  const threshold = gender === 'm' ? c.monotoneMaleSt : c.monotoneFemaleSt;
  if (p.f0SpreadSt >= threshold) return undefined;
  const who = `${gender === 'm' ? 'male' : 'female'} voice${labelled ? '' : ` (estimated from its median F0, ${round(median, 0)} Hz)`}`;
  return {
    code: 'prosody.monotone',
    message: `F0 spread ${round(p.f0SpreadSt, 2)} semitones over ${round(p.voicedSec, 1)} s of voiced speech, below ${threshold} for a ${who}: a monotone reading`,
    value: p.f0SpreadSt,
    threshold,
    unit: 'semitones',
    metric: 'prosody.f0_spread_st',
  };
}

function textMismatch(
  type: ReturnType<typeof sentenceType>,
  contour: string,
  changeSt: number,
  c: Config,
): FindingDraft | undefined {
  const moved = `${changeSt >= 0 ? '+' : ''}${round(changeSt, 1)} semitones`;
  if (type === 'question' && contour !== 'rise') {
    return {
      code: 'prosody.question_falls',
      message: `the transcript is a question but its end ${contour === 'fall' ? 'falls' : 'stays flat'} (${moved}; a rise needs +${c.minChangeSt})`,
      value: changeSt,
      threshold: c.minChangeSt,
      unit: 'semitones',
      metric: 'prosody.final_change_st',
    };
  }
  if (type === 'statement' && contour === 'rise' && changeSt >= c.strongRiseSt) {
    return {
      code: 'prosody.statement_rises',
      message: `the transcript is a statement but its end rises ${moved} (limit ${c.strongRiseSt})`,
      value: changeSt,
      threshold: c.strongRiseSt,
      unit: 'semitones',
      metric: 'prosody.final_change_st',
    };
  }
  return undefined;
}
