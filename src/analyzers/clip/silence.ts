import { z } from 'zod';
import { recordedLevels, type FrameFeatures } from '../../features/frames.js';
import { quantile, round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

const config = z
  .object({
    speechPercentile: z
      .number()
      .min(50)
      .max(100)
      .default(95)
      .describe("Frame-RMS percentile taken as the clip's speech level."),
    relativeDb: z
      .number()
      .positive()
      .default(40)
      .describe(
        'Frames more than this below the speech level are silence (librosa trims at 60, Coqui at 45; 40 keeps soft word endings while catching room tone).',
      ),
    floorPercentile: z.number().min(0).max(50).default(10).describe('Frame-RMS percentile taken as the noise floor.'),
    noiseMarginDb: z
      .number()
      .min(0)
      .default(6)
      .describe('Speech must also be this far above the noise floor, so a noisy clip is not all speech.'),
    minSpeechFrames: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('A burst shorter than this many 10 ms frames (a click) does not start or end speech.'),
    thresholdDbfs: z
      .number()
      .max(0)
      .optional()
      .describe(
        'A fixed threshold (dBFS) on each 10 ms block’s sample peak instead of the relative RMS one: the criterion of `ffmpeg silencedetect=n=…dB`.',
      ),
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

/**
 * Speech/silence frames of a clip: frame energy against the clip's own speech level and noise floor,
 * or, with a fixed `thresholdDbfs`, each block's sample peak against it (as silencedetect does).
 */
export function speechFrames(
  features: Pick<FrameFeatures, 'rmsDb' | 'rmsDbSorted' | 'peakDb'>,
  c: z.output<typeof config>,
) {
  const levels = recordedLevels(features.rmsDbSorted);
  const speechLevel = quantile(levels, c.speechPercentile);
  const floor = quantile(levels, c.floorPercentile);
  const fixed = c.thresholdDbfs !== undefined;
  const threshold = c.thresholdDbfs ?? Math.max(speechLevel - c.relativeDb, floor + c.noiseMarginDb);
  const level = fixed ? features.peakDb : features.rmsDb;
  const isSpeech = new Uint8Array(level.length);
  for (let i = 0; i < level.length; i++) isSpeech[i] = level[i] >= threshold ? 1 : 0;
  return { isSpeech, threshold, speechLevel, floor };
}

/** Silent stretches of at least `minSec` (start and end in seconds), as ffmpeg silencedetect lists them. */
export function silenceSegments(
  isSpeech: Uint8Array,
  hopSec: number,
  durationSec: number,
  minSec: number,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= isSpeech.length; i++) {
    const silent = i < isSpeech.length && !isSpeech[i];
    if (silent && start < 0) start = i;
    if (!silent && start >= 0) {
      const seg = { start: start * hopSec, end: Math.min(durationSec, i * hopSec) };
      if (seg.end - seg.start >= minSec) out.push(seg);
      start = -1;
    }
  }
  return out;
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
  analyze({ audio, features, config: c }) {
    const { isSpeech, threshold, speechLevel } = speechFrames(features, c);
    const hop = features.hopSec;
    const duration = audio.durationSec;
    const first = firstRun(isSpeech, c.minSpeechFrames, false);
    const findings: FindingDraft[] = [];
    if (first < 0) {
      findings.push({
        code: 'silence.no_speech',
        message: `no ${c.minSpeechFrames * 10} ms run of frames above ${round(threshold, 1)} dBFS`,
      });
      return {
        metrics: {
          'silence.leading_sec': duration,
          'silence.trailing_sec': duration,
          'silence.longest_pause_sec': 0,
          'silence.speech_sec': 0,
          'silence.speech_level_dbfs': speechLevel,
          'silence.threshold_dbfs': threshold,
        },
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
