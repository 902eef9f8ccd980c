import { z } from 'zod';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { encodeSignature, endStretches, signatureOf, stretchDistance, voicedFrames } from './voice-signature.js';

const config = z
  .strictObject({
    minPauseSec: z
      .number()
      .positive()
      .default(0.25)
      .describe('A pause at least this long (s) ends a speech segment; the first and last segments are compared.'),
    minVoicedSec: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Each end compared holds at least this much voiced speech (s), whole segments added until it does; a clip too short for two such ends is not judged.',
      ),
    timbreScale: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Cepstral distance between the two ends counted as one unit of change (an effect size: the difference of their means over the spread within each).',
      ),
    semitoneScale: z
      .number()
      .positive()
      .default(4)
      .describe(
        'F0 shift between the two ends counted as one unit of change (semitones; the real samples’ first and last segments differed by up to 4.4).',
      ),
    maxChange: z
      .number()
      .positive()
      .default(1.8)
      .describe(
        'Change score √((timbre/timbreScale)² + (semitones/semitoneScale)²) above this marks a second voice (two clips of one real speaker spliced scored at most 1.72 over 132 such splices; splices of two real speakers scored above 1.8 in 33 % of same-gender and 67 % of cross-gender pairs (the rest mostly too short to judge): scripts/bench-voices.ts).',
      ),
  })
  .prefault({});

export const voice = defineClipAnalyzer({
  name: 'voice',
  description:
    'A voice signature of the clip (F0 and mel-cepstrum statistics of its voiced speech) for the per-speaker comparison, and whether its two ends sound like two voices.',
  config,
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
