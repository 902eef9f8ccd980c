import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';
import type { RateConfig } from './rate-config.js';

// Letters and digits only: punctuation and spaces take no speaking time (Piper counts the same way).
const SPOKEN = /[\p{L}\p{N}]/gu;

export const rate = defineClipAnalyzer<RateConfig>({
  name: 'rate',
  description: 'Speaking rate in characters per second of speech (first to last speech frame, not file length).',
  metrics: { 'rate.chars_per_sec': 'spoken characters (letters, digits) per second of speech' },
  findings: {
    'rate.too_fast': {
      severity: 'error',
      description: 'more than `maxCharsPerSec`: the transcript says more than the audio',
    },
    'rate.too_slow': {
      severity: 'error',
      description: 'fewer than `minCharsPerSec`: the audio says more than the transcript',
    },
  },
  analyze({ utterance, speech, config: c }) {
    const { speechSec } = speech;
    const chars = ((utterance.normalizedText ?? utterance.text).match(SPOKEN) ?? []).length;
    if (!(speechSec > 0) || chars === 0) return { metrics: {} as Record<string, number>, findings: [] };
    const cps = chars / speechSec;
    const findings: FindingDraft[] = [];
    if (cps > c.maxCharsPerSec) {
      findings.push({
        code: 'rate.too_fast',
        message: `${round(cps, 1)} chars/s over ${round(speechSec, 2)} s of speech (limit ${c.maxCharsPerSec})`,
        value: cps,
        threshold: c.maxCharsPerSec,
        unit: 'chars/s',
        metric: 'rate.chars_per_sec',
      });
    } else if (cps < c.minCharsPerSec) {
      findings.push({
        code: 'rate.too_slow',
        message: `${round(cps, 1)} chars/s over ${round(speechSec, 2)} s of speech (limit ${c.minCharsPerSec})`,
        value: cps,
        threshold: c.minCharsPerSec,
        unit: 'chars/s',
        metric: 'rate.chars_per_sec',
      });
    }
    return { metrics: { 'rate.chars_per_sec': cps }, findings };
  },
});
