import { z } from 'zod';
import { recordedLevels } from '../../features/frames.js';
import { quantile, round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

const config = z
  .object({
    speechPercentile: z.number().min(50).max(100).default(95).describe("Frame-RMS percentile taken as the clip's speech level."),
    relativeDb: z.number().positive().default(40).describe('Frames more than this below the speech level are silence (librosa trims at 60, Coqui at 45; 40 keeps soft word endings while catching room tone).'),
    floorPercentile: z.number().min(0).max(50).default(10).describe('Frame-RMS percentile taken as the noise floor.'),
    noiseMarginDb: z.number().min(0).default(6).describe('Speech must also be this far above the noise floor, so a noisy clip is not all speech.'),
    minSpeechFrames: z.number().int().min(1).default(3).describe('A burst shorter than this many 10 ms frames (a click) does not start or end speech.'),
    maxLeadingSec: z.number().min(0).default(1).describe('Leading silence longer than this teaches a model to wait before speaking.'),
    maxTrailingSec: z.number().min(0).default(1).describe('Trailing silence longer than this blurs the end-of-utterance signal.'),
    maxPauseSec: z.number().min(0).default(2).describe('Segmenters (Emilia, NeMo SDP) split at pauses over 2 s; a TTS clip holding one is suspect.'),
  })
  .prefault({});

/** Speech/silence frames of a clip: energy against the clip's own speech level and noise floor. */
export function speechFrames(rmsDb: Float32Array, rmsDbSorted: Float32Array, c: z.output<typeof config>) {
  const levels = recordedLevels(rmsDbSorted);
  const speechLevel = quantile(levels, c.speechPercentile);
  const floor = quantile(levels, c.floorPercentile);
  const threshold = Math.max(speechLevel - c.relativeDb, floor + c.noiseMarginDb);
  const isSpeech = new Uint8Array(rmsDb.length);
  for (let i = 0; i < rmsDb.length; i++) isSpeech[i] = rmsDb[i] > threshold ? 1 : 0;
  return { isSpeech, threshold, speechLevel, floor };
}

/** First index at which `run` consecutive speech frames start, scanning in `step` direction. */
function firstRun(isSpeech: Uint8Array, run: number, fromEnd: boolean): number {
  const n = isSpeech.length;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = fromEnd ? n - 1 - k : k;
    count = isSpeech[i] ? count + 1 : 0;
    if (count >= run) return fromEnd ? i + run - 1 : i - run + 1;
  }
  return -1;
}

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
  },
  findings: {
    'silence.leading': { severity: 'error', description: 'leading silence above `maxLeadingSec`' },
    'silence.trailing': { severity: 'error', description: 'trailing silence above `maxTrailingSec`' },
    'silence.long_pause': { severity: 'warning', description: 'an internal pause above `maxPauseSec`' },
    'silence.no_speech': { severity: 'error', description: 'no run of speech frames found' },
  },
  analyze({ audio, features, config: c }) {
    const { isSpeech, threshold, speechLevel } = speechFrames(features.rmsDb, features.rmsDbSorted, c);
    const hop = features.hopSec;
    const duration = audio.durationSec;
    const first = firstRun(isSpeech, c.minSpeechFrames, false);
    const findings: FindingDraft[] = [];
    if (first < 0) {
      findings.push({ code: 'silence.no_speech', message: `no ${c.minSpeechFrames * 10} ms run of frames above ${round(threshold, 1)} dBFS` });
      return {
        metrics: { 'silence.leading_sec': duration, 'silence.trailing_sec': duration, 'silence.longest_pause_sec': 0, 'silence.speech_sec': 0, 'silence.speech_level_dbfs': speechLevel, 'silence.threshold_dbfs': threshold },
        findings,
      };
    }
    const last = firstRun(isSpeech, c.minSpeechFrames, true);
    let longestPause = 0;
    let gap = 0;
    for (let i = first; i <= last; i++) {
      gap = isSpeech[i] ? 0 : gap + 1;
      if (gap > longestPause) longestPause = gap;
    }
    const leading = Math.min(duration, first * hop);
    const trailing = Math.max(0, duration - (last + 1) * hop);
    const metrics = {
      'silence.leading_sec': leading,
      'silence.trailing_sec': trailing,
      'silence.longest_pause_sec': longestPause * hop,
      'silence.speech_sec': Math.max(0, duration - leading - trailing),
      'silence.speech_level_dbfs': speechLevel,
      'silence.threshold_dbfs': threshold,
    };
    if (leading > c.maxLeadingSec) {
      findings.push({ code: 'silence.leading', message: `${round(leading, 2)} s of leading silence (limit ${c.maxLeadingSec} s)`, value: leading, threshold: c.maxLeadingSec, unit: 's', metric: 'silence.leading_sec' });
    }
    if (trailing > c.maxTrailingSec) {
      findings.push({ code: 'silence.trailing', message: `${round(trailing, 2)} s of trailing silence (limit ${c.maxTrailingSec} s)`, value: trailing, threshold: c.maxTrailingSec, unit: 's', metric: 'silence.trailing_sec' });
    }
    const pause = metrics['silence.longest_pause_sec'];
    if (pause > c.maxPauseSec) {
      findings.push({ code: 'silence.long_pause', message: `a ${round(pause, 2)} s pause inside the clip (limit ${c.maxPauseSec} s)`, value: pause, threshold: c.maxPauseSec, unit: 's', metric: 'silence.longest_pause_sec' });
    }
    return { metrics, findings };
  },
});
