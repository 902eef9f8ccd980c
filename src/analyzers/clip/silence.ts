import { z } from 'zod';
import { speechShape } from '../../features/speech.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

const config = z
  .strictObject({
    ...speechShape,
    maxLeadingSec: z
      .number()
      .min(0)
      .default(0.5)
      .describe(
        'Leading silence longer than this teaches a model to wait before speaking; the clip is kept with a suggested trim.',
      ),
    maxTrailingSec: z
      .number()
      .min(0)
      .default(0.5)
      .describe(
        'Trailing silence longer than this blurs the end-of-utterance signal; the clip is kept with a suggested trim.',
      ),
    trimMarginSec: z
      .number()
      .min(0)
      .default(0.1)
      .describe('Silence a suggested trim leaves at each end, so onsets and decays are not cut.'),
    maxPauseSec: z
      .number()
      .min(0)
      .default(2)
      .describe('Segmenters (Emilia, NeMo SDP) split at pauses over 2 s; a TTS clip holding one is suspect.'),
  })
  .prefault({});

export const silence = defineClipAnalyzer({
  name: 'silence',
  description: 'Leading, trailing and internal silence from frame energy relative to the clip’s own speech level.',
  config,
  metrics: {
    'silence.leading_sec': 'silence before the first speech frame (s)',
    'silence.trailing_sec': 'silence after the last speech frame (s)',
    'silence.longest_pause_sec': 'longest silence between speech frames (s)',
    'silence.speech_sec': 'span from first to last speech frame (s)',
    'silence.speech_level_dbfs': 'speech level: frame-RMS percentile `speechPercentile` (dBFS)',
    'silence.threshold_dbfs': 'frame-RMS threshold between silence and speech (dBFS)',
    'silence.trim_start_sec': 'suggested start of the kept audio: leading silence less `trimMarginSec` (s)',
    'silence.trim_end_sec': 'suggested end of the kept audio (s)',
  },
  findings: {
    'silence.leading': {
      severity: 'warning',
      remedy: 'trim',
      description: 'leading silence above `maxLeadingSec`: kept with a suggested trim',
    },
    'silence.trailing': {
      severity: 'warning',
      remedy: 'trim',
      description: 'trailing silence above `maxTrailingSec`: kept with a suggested trim',
    },
    'silence.long_pause': { severity: 'warning', description: 'an internal pause above `maxPauseSec`' },
    'silence.no_speech': { severity: 'error', description: 'no run of speech frames found' },
  },
  analyze({ audio, speech, config: c }) {
    const duration = audio.durationSec;
    const findings: FindingDraft[] = [];
    const levels = { 'silence.speech_level_dbfs': speech.speechLevel, 'silence.threshold_dbfs': speech.threshold };
    if (!speech.found) {
      findings.push({
        code: 'silence.no_speech',
        message: `no ${c.minSpeechFrames * 10} ms run of frames above ${round(speech.threshold, 1)} dBFS`,
      });
      return {
        metrics: {
          'silence.leading_sec': duration,
          'silence.trailing_sec': duration,
          'silence.longest_pause_sec': 0,
          'silence.speech_sec': 0,
          ...levels,
        },
        findings,
      };
    }
    const { leadingSec: leading, trailingSec: trailing } = speech;
    const metrics = {
      'silence.leading_sec': leading,
      'silence.trailing_sec': trailing,
      'silence.longest_pause_sec': speech.longestPauseSec,
      'silence.speech_sec': speech.speechSec,
      ...levels,
      'silence.trim_start_sec': Math.max(0, leading - c.trimMarginSec),
      'silence.trim_end_sec': Math.min(duration, duration - trailing + c.trimMarginSec),
    };
    if (leading > c.maxLeadingSec) {
      findings.push({
        code: 'silence.leading',
        message: `${round(leading, 2)} s of leading silence (limit ${c.maxLeadingSec} s)`,
        value: leading,
        threshold: c.maxLeadingSec,
        unit: 's',
        metric: 'silence.leading_sec',
      });
    }
    if (trailing > c.maxTrailingSec) {
      findings.push({
        code: 'silence.trailing',
        message: `${round(trailing, 2)} s of trailing silence (limit ${c.maxTrailingSec} s)`,
        value: trailing,
        threshold: c.maxTrailingSec,
        unit: 's',
        metric: 'silence.trailing_sec',
      });
    }
    const pause = metrics['silence.longest_pause_sec'];
    if (pause > c.maxPauseSec) {
      findings.push({
        code: 'silence.long_pause',
        message: `a ${round(pause, 2)} s pause inside the clip (limit ${c.maxPauseSec} s)`,
        value: pause,
        threshold: c.maxPauseSec,
        unit: 's',
        metric: 'silence.longest_pause_sec',
      });
    }
    return { metrics, findings };
  },
});
