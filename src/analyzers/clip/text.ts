import { z } from 'zod';
import { defineClipAnalyzer, type FindingDraft } from '../types.js';

// Letters per language (regex class bodies). MLS languages included so later loaders need no change.
const DEFAULT_LETTERS: Record<string, string> = {
  en: 'A-Za-z',
  de: 'A-Za-zÄÖÜäöüß',
  es: 'A-Za-zÁÉÍÓÚÜÑáéíóúüñ',
  fr: 'A-Za-zÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸàâæçéèêëîïôœùûüÿ',
  it: 'A-Za-zÀÈÉÌÍÎÒÓÙÚàèéìíîòóùú',
  nl: 'A-Za-zÄËÏÖÜäëïöüÉéÈèĲĳ',
  pl: 'A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż',
  pt: 'A-Za-zÁÂÃÀÇÉÊÍÓÔÕÚÜáâãàçéêíóôõúü',
};

const config = z
  .object({
    letters: z.record(z.string(), z.string()).default(DEFAULT_LETTERS).describe('Letters allowed per language, as regex class bodies; a language not listed allows every Unicode letter.'),
    punctuation: z.string().default(` .,;:!?'"()\\-–—…’‘“”`).describe('Punctuation and spacing allowed besides letters (regex class body).'),
    symbols: z.string().default('$%&@#/+=<>§£€¥*_~^|\\\\').describe('Symbols a TTS front end must spell out; found in a normalized text they are unnormalized tokens (regex class body).'),
  })
  .prefault({});

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

function describeChar(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return INVISIBLE.test(ch) || /\s/u.test(ch) ? code : `"${ch}" ${code}`;
}

// Compiled patterns depend only on the config, which is fixed for a run.
const patternCache = new Map<string, { outside: RegExp; unnormalized: RegExp }>();
function patterns(letters: string, punctuation: string, symbols: string) {
  const key = `${letters}\u0000${punctuation}\u0000${symbols}`;
  let p = patternCache.get(key);
  if (!p) {
    p = {
      outside: new RegExp(`[^${letters}${punctuation}0-9${symbols}]`, 'gu'),
      unnormalized: new RegExp(`\\S*(?:\\p{Nd}|[${symbols}])\\S*`, 'gu'),
    };
    patternCache.set(key, p);
  }
  return p;
}

export const text = defineClipAnalyzer({
  name: 'text',
  description: 'The transcript a model trains on (the normalized text when there is one): empty, out-of-alphabet, unnormalized.',
  config,
  metrics: {
    'text.chars': 'characters in the training transcript',
    'text.words': 'whitespace-separated words in the training transcript',
  },
  findings: {
    'text.empty': { severity: 'error', description: 'the transcript is empty or whitespace' },
    'text.out_of_alphabet': { severity: 'warning', description: "characters outside the language's letters and punctuation (control, emoji, foreign script)" },
    'text.unnormalized': { severity: 'error', description: 'digits or symbols left in a transcript that should be normalized' },
  },
  analyze({ utterance, source, config: c }) {
    const training = utterance.normalizedText ?? utterance.text;
    const trimmed = training.trim();
    const metrics = { 'text.chars': trimmed.length, 'text.words': trimmed === '' ? 0 : trimmed.split(/\s+/u).length };
    const findings: FindingDraft[] = [];
    if (trimmed === '') {
      findings.push({ code: 'text.empty', message: 'the transcript is empty' });
      return { metrics, findings };
    }
    const language = utterance.language ?? source.language;
    const letters = (language && c.letters[language]) || '\\p{L}\\p{M}';
    const { outside, unnormalized } = patterns(letters, c.punctuation, c.symbols);
    const strange = [...new Set(trimmed.match(outside) ?? [])];
    if (strange.length > 0) {
      const listed = strange.slice(0, 8).map(describeChar).join(', ');
      findings.push({ code: 'text.out_of_alphabet', message: `${strange.length} character(s) outside the ${language ?? 'Unicode'} alphabet: ${listed}`, value: strange.length });
    }
    if (source.expectsNormalizedText) {
      const tokens = [...new Set(trimmed.match(unnormalized) ?? [])];
      if (tokens.length > 0) {
        const listed = tokens.slice(0, 5).map((t) => JSON.stringify(t.slice(0, 24))).join(', ');
        findings.push({ code: 'text.unnormalized', message: `unnormalized token(s) in the ${utterance.normalizedText === undefined ? 'only' : 'normalized'} transcript: ${listed}`, value: tokens.length });
      }
    }
    return { metrics, findings };
  },
});
