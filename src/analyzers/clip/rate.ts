import { z } from 'zod';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

const config = z
  .strictObject({
    minCharsPerSec: z
      .number()
      .min(0)
      .default(6)
      .describe(
        'Slower than this the transcript is missing words the audio holds, or the audio is mostly not speech (read speech runs 10–20 chars/s).',
      ),
    maxCharsPerSec: z
      .number()
      .positive()
      .default(28)
      .describe(
        'Faster than this the transcript holds words the audio does not: a wrong or swapped transcript, or truncated audio.',
      ),
  })
  .prefault({});

// Letters and digits only: punctuation and spaces take no speaking time (Piper counts the same way).
const SPOKEN = /[\p{L}\p{N}]/gu;

export const rate = defineClipAnalyzer({
  name: 'rate',
  description: 'Speaking rate in characters per second of speech (first to last speech frame, not file length).',
  config,
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
