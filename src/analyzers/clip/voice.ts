import { z } from 'zod';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { encodeSignature, signatureOf, stretchDistance, voicedFrames } from './voice-signature.js';

const config = z
  .strictObject({
    stretchSec: z
      .number()
      .positive()
      .default(1)
      .describe(
        'Voiced speech compared at each end of a clip (s): the first and the last this-many seconds of voiced frames.',
      ),
    timbreScale: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Cepstral distance between the two ends counted as one unit of change (effect size; same-speaker ends measured 0.23–0.75).',
      ),
    semitoneScale: z
      .number()
      .positive()
      .default(5)
      .describe(
        'F0 shift between the two ends counted as one unit of change (semitones; a reading voice falls up to 7 within a clip).',
      ),
    maxChange: z
      .number()
      .positive()
      .default(2)
      .describe(
        'Change score √((timbre/timbreScale)² + (semitones/semitoneScale)²) above this marks a second voice (same-speaker real clips reached 1.7).',
      ),
  })
  .prefault({});

export const voice = defineClipAnalyzer({
  name: 'voice',
  description:
    'A voice signature of the clip (F0 and mel-cepstrum statistics of its voiced speech) for the per-speaker comparison, and whether its two ends sound like two voices.',
  config,
  metrics: {
    'voice.change_score':
      'how unlike each other the first and last voiced stretches sound (0 = alike; see `maxChange`)',
    'voice.change_semitones': 'F0 median of the last voiced stretch minus that of the first (semitones)',
    'voice.change_timbre': 'cepstral distance between the first and last voiced stretches (effect size)',
  },
  findings: {
    'voice.two_voices': {
      severity: 'warning',
      description:
        'the first and last voiced stretches differ in pitch and timbre beyond `maxChange`: two speakers in one clip (a splice, an interviewer, crosstalk)',
    },
  },
  analyze({ features, speech, config: c }): ClipAnalysis {
    const voiced = voicedFrames(features, speech);
    if (voiced.length === 0) return { metrics: {}, findings: [] };
    const annotations = { 'voice.signature': encodeSignature(signatureOf(features, voiced)) };
    const m = Math.round(c.stretchSec / features.pitch.frameSec);
    if (voiced.length < 2 * m) return { metrics: {}, findings: [], annotations };
    const first = signatureOf(features, voiced.subarray(0, m));
    const last = signatureOf(features, voiced.subarray(voiced.length - m));
    const d = stretchDistance(first, last);
    const score = Math.hypot(d.timbre / c.timbreScale, d.semitones / c.semitoneScale);
    const findings: FindingDraft[] = [];
    if (score > c.maxChange) {
      findings.push({
        code: 'voice.two_voices',
        message: `the last ${c.stretchSec} s of voiced speech sounds unlike the first: F0 ${d.semitones > 0 ? '+' : ''}${round(d.semitones, 1)} semitones, timbre distance ${round(d.timbre, 2)} (score ${round(score, 2)}, limit ${c.maxChange})`,
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
