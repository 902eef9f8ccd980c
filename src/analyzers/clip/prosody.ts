import { clipProsody, contourOf, type ClipProsody } from '../../features/prosody.js';
import { sentenceType } from '../../text/sentences.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { genderOf } from './pitch.js';
import type { ProsodyConfig } from './prosody-config.js';

// Prosody of each clip from the pitch track and frame levels the feature stage keeps (src/features/prosody.ts):
// how far the voice moves in pitch, how its last words move, how its loudness and pace vary. A TTS model learns
// intonation only from what it hears, so a question read with a falling end, or a voice that barely moves,
// becomes the model's habit.

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

export const prosody = defineClipAnalyzer<ProsodyConfig>({
  name: 'prosody',
  description:
    'F0 range and spread in semitones, the final contour (rise / fall / flat), loudness and pace variation, from the pitch track and frame levels.',
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

function monotoneFinding(p: ClipProsody, c: ProsodyConfig, label: string | undefined, median: number) {
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
  c: ProsodyConfig,
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
