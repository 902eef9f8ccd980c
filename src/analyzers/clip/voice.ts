import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { encodeSignature, endStretches, signatureOf, stretchDistance, voicedFrames } from './voice-signature.js';
import type { VoiceConfig } from './voice-config.js';

export const voice = defineClipAnalyzer<VoiceConfig>({
  name: 'voice',
  description:
    'A voice signature of the clip (F0 and mel-cepstrum statistics of its voiced speech) for the per-speaker comparison, and whether its two ends sound like two voices.',
  metrics: {
    'voice.change_score': 'how unlike each other the first and last speech segments sound (0 = alike; see `maxChange`)',
    'voice.change_semitones': 'F0 median of the last speech segment minus that of the first (semitones)',
    'voice.change_timbre': 'cepstral distance between the first and last speech segments (effect size)',
  },
  findings: {
    'voice.two_voices': {
      severity: 'warning',
      description:
        'the first and last speech segments differ in pitch and timbre beyond `maxChange`: two speakers in one clip (a splice, an interviewer, crosstalk)',
    },
  },
  analyze({ features, speech, config: c }): ClipAnalysis {
    const voiced = voicedFrames(features, speech);
    if (voiced.length === 0) return { metrics: {}, findings: [] };
    const annotations = { 'voice.signature': encodeSignature(signatureOf(features, voiced)) };
    const ends = endStretches(features, speech, voiced, c.minPauseSec, c.minVoicedSec);
    if (!ends) return { metrics: {}, findings: [], annotations };
    const first = signatureOf(features, ends.first);
    const last = signatureOf(features, ends.last);
    const d = stretchDistance(first, last);
    const score = Math.hypot(d.timbre / c.timbreScale, d.semitones / c.semitoneScale);
    const findings: FindingDraft[] = [];
    if (score > c.maxChange) {
      findings.push({
        code: 'voice.two_voices',
        message: `the last speech segment sounds unlike the first: F0 ${d.semitones > 0 ? '+' : ''}${round(d.semitones, 1)} semitones, timbre distance ${round(d.timbre, 2)} (score ${round(score, 2)}, limit ${c.maxChange})`,
        value: score,
        threshold: c.maxChange,
        metric: 'voice.change_score',
      });
    }
    return {
      metrics: { 'voice.change_score': score, 'voice.change_semitones': d.semitones, 'voice.change_timbre': d.timbre },
      findings,
      annotations,
    };
  },
});
