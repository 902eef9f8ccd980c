import type { FrameFeatures } from '../../features/frames.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';
import type { SilenceConfig } from './silence-config.js';

export const silence = defineClipAnalyzer<SilenceConfig>({
  name: 'silence',
  description:
    'Leading, trailing and internal silence from speech-band (above 100 Hz) frame energy over a tracked noise floor, relative to the clip’s own speech level; words cut off at either end.',
  metrics: {
    'silence.leading_sec': 'silence before the first speech frame (s)',
    'silence.trailing_sec': 'silence after the last speech frame (s)',
    'silence.longest_pause_sec': 'longest silence between speech frames (s)',
    'silence.speech_sec': 'span from first to last speech frame (s)',
    'silence.speech_level_dbfs': 'speech level: frame-RMS percentile `speechPercentile` (dBFS)',
    'silence.threshold_dbfs': 'frame-RMS threshold between silence and speech (dBFS)',
    'silence.trim_start_sec': 'suggested start of the kept audio: leading silence less `trimMarginSec` (s)',
    'silence.trim_end_sec': 'suggested end of the kept audio (s)',
    'silence.onset_level_db':
      'loudest speech-band frame within `cutEdgeSec` of the start, relative to the speech level (dB)',
    'silence.offset_level_db':
      'loudest speech-band frame within `cutEdgeSec` of the end, relative to the speech level (dB)',
    'silence.floor_dbfs':
      'speech-band frame-RMS percentile `floorPercentile`: the floor the energy method stands on (dBFS)',
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
    'silence.cut_onset': {
      severity: 'warning',
      description: 'speech at full level in the first `cutEdgeSec`: the clip starts inside a word',
    },
    'silence.cut_offset': {
      severity: 'warning',
      description: 'speech at full level in the last `cutEdgeSec`: the clip ends inside a word',
    },
  },
  // The learned VAD runs in the pipeline, before any analyzer, since every analyzer measures over the span.
  uses: (c) => (c.vad === 'off' || c.thresholdDbfs !== undefined ? [] : ['silero']),
  analyze({ audio, features, speech, trims, config: c }) {
    const duration = audio.durationSec;
    const findings: FindingDraft[] = [];
    const levels = {
      'silence.speech_level_dbfs': speech.speechLevel,
      'silence.threshold_dbfs': speech.threshold,
      'silence.floor_dbfs': speech.floor,
    };
    const annotations = { 'silence.method': speech.method };
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
        annotations,
      };
    }
    const { leadingSec: leading, trailingSec: trailing } = speech;
    const metrics = {
      'silence.leading_sec': leading,
      'silence.trailing_sec': trailing,
      'silence.longest_pause_sec': speech.longestPauseSec,
      'silence.speech_sec': speech.speechSec,
      ...levels,
      'silence.trim_start_sec': trims.startSec,
      'silence.trim_end_sec': trims.endSec,
      ...cutEdges(features, speech.speechLevel, c, findings),
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
    return { metrics, findings, annotations };
  },
});

/**
 * The loudest speech-band frame at each edge against the speech level; one near full level is a word cut off (a
 * restoration that removed a quiet onset, a segmenter that split inside a word).
 */
function cutEdges(
  features: Pick<FrameFeatures, 'bandRmsDb' | 'hopSec'>,
  speechLevel: number,
  c: { cutEdgeSec: number; cutWithinDb: number },
  findings: FindingDraft[],
): Record<string, number> {
  const levels = features.bandRmsDb;
  const edge = Math.min(levels.length, Math.max(1, Math.ceil(c.cutEdgeSec / features.hopSec)));
  let onset = -Infinity;
  let offset = -Infinity;
  for (let i = 0; i < edge; i++) {
    onset = Math.max(onset, levels[i]);
    offset = Math.max(offset, levels[levels.length - 1 - i]);
  }
  const ms = Math.round(c.cutEdgeSec * 1000);
  const metrics = { 'silence.onset_level_db': onset - speechLevel, 'silence.offset_level_db': offset - speechLevel };
  for (const [end, code, metric] of [
    ['first', 'silence.cut_onset', 'silence.onset_level_db'],
    ['last', 'silence.cut_offset', 'silence.offset_level_db'],
  ] as const) {
    const value = metrics[metric];
    if (!(value >= -c.cutWithinDb)) continue;
    findings.push({
      code,
      message: `speech at ${round(value, 1)} dB from the speech level in the ${end} ${ms} ms (limit −${c.cutWithinDb} dB): a word cut off`,
      value,
      threshold: -c.cutWithinDb,
      unit: 'dB',
      metric,
    });
  }
  return metrics;
}
