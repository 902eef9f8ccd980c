import { describeCodePoint } from '../../text/alphabet.js';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';
import { counted } from '../../util/plural.js';
import type { TextConfig } from './text-config.js';

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

function describeChar(ch: string): string {
  return INVISIBLE.test(ch) || /\s/u.test(ch) ? describeCodePoint(ch) : `"${ch}" ${describeCodePoint(ch)}`;
}

export const text = defineClipAnalyzer<TextConfig>({
  name: 'text',
  description:
    'The transcript a model trains on (the normalized text when there is one): empty, out-of-alphabet, unnormalized.',
  metrics: {
    'text.chars': 'characters in the training transcript',
    'text.words': 'whitespace-separated words in the training transcript',
  },
  findings: {
    'text.empty': { severity: 'error', description: 'the transcript is empty or whitespace' },
    'text.out_of_alphabet': {
      severity: 'warning',
      description: "characters outside the language's letters and punctuation (control, emoji, foreign script)",
    },
    'text.unnormalized': {
      severity: 'error',
      description: 'digits or symbols left in a transcript that should be normalized',
    },
  },
  analyze({ utterance, source, alphabet }) {
    const training = utterance.normalizedText ?? utterance.text;
    const trimmed = training.trim();
    const metrics = { 'text.chars': trimmed.length, 'text.words': trimmed === '' ? 0 : trimmed.split(/\s+/u).length };
    const findings: FindingDraft[] = [];
    if (trimmed === '') {
      findings.push({ code: 'text.empty', message: 'the transcript is empty' });
      return { metrics, findings };
    }
    const language = utterance.language ?? source.language;
    const strange = [...new Set(trimmed.match(alphabet.outside(language)) ?? [])];
    if (strange.length > 0) {
      const listed = strange.slice(0, 8).map(describeChar).join(', ');
      findings.push({
        code: 'text.out_of_alphabet',
        message: `${counted(strange.length, 'character')} outside the ${language ?? 'Unicode'} alphabet: ${listed}`,
        value: strange.length,
      });
    }
    if (source.expectsNormalizedText) {
      const tokens = [...new Set(trimmed.match(alphabet.unnormalized) ?? [])];
      if (tokens.length > 0) {
        const listed = tokens
          .slice(0, 5)
          .map((t) => JSON.stringify(t.slice(0, 24)))
          .join(', ');
        findings.push({
          code: 'text.unnormalized',
          message: `${counted(tokens.length, 'unnormalized token')} in the ${utterance.normalizedText === undefined ? 'only' : 'normalized'} transcript: ${listed}`,
          value: tokens.length,
        });
      }
    }
    return { metrics, findings };
  },
});
