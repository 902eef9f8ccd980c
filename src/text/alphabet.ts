import { boundedMap, topEntries, type BoundedMap } from './bounded-map.js';

// One alphabet per run, built from the configured letters (`analyzers.text`), so the per-clip
// `text.out_of_alphabet` finding and the dataset's out-of-alphabet inventory always agree on what is outside.

// Letters per language (regex class bodies). MLS languages included so later loaders need no change.
export const DEFAULT_LETTERS: Record<string, string> = {
  en: 'A-Za-z',
  de: 'A-Za-zÄÖÜäöüß',
  es: 'A-Za-zÁÉÍÓÚÜÑáéíóúüñ',
  fr: 'A-Za-zÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸàâæçéèêëîïôœùûüÿ',
  it: 'A-Za-zÀÈÉÌÍÎÒÓÙÚàèéìíîòóùú',
  nl: 'A-Za-zÄËÏÖÜäëïöüÉéÈèĲĳ',
  pl: 'A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż',
  pt: 'A-Za-zÁÂÃÀÇÉÊÍÓÔÕÚÜáâãàçéêíóôõúü',
};

export interface AlphabetConfig {
  letters: Record<string, string>;
  punctuation: string;
  symbols: string;
}

export interface Alphabet {
  readonly config: AlphabetConfig;
  /** Characters outside the language's letters, punctuation, digits and symbols (global regex). */
  outside(language: string | undefined): RegExp;
  /** Whitespace-delimited tokens holding a digit or a symbol (global regex). */
  readonly unnormalized: RegExp;
}

/** Compiles the configured alphabet once per run; the patterns are cached inside the returned object. */
export function compileAlphabet(config: AlphabetConfig): Alphabet {
  const outsideByLetters = new Map<string, RegExp>();
  return {
    config,
    outside(language) {
      const letters = (language && config.letters[language]) || '\\p{L}\\p{M}';
      let re = outsideByLetters.get(letters);
      if (!re) {
        re = new RegExp(`[^${letters}${config.punctuation}0-9${config.symbols}]`, 'gu');
        outsideByLetters.set(letters, re);
      }
      return re;
    },
    unnormalized: new RegExp(`\\S*(?:\\p{Nd}|[${config.symbols}])\\S*`, 'gu'),
  };
}

/** Distinct characters kept per language and languages kept: both bounded, whatever the data holds. */
const CHARS_PER_LANGUAGE = 1024;
const LANGUAGES = 64;

export const describeCodePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

interface CharCount {
  count: number;
  clips: number;
}

interface LanguageInventory {
  clips: number;
  chars: BoundedMap<CharCount>;
}

export interface OutOfAlphabetSummary {
  clips: number;
  distinct: number;
  characters: { char: string; code: string; count: number; clips: number }[];
}

/** Which characters fall outside each language's alphabet, how often, in how many clips. */
export function alphabetInventory(alphabet: Alphabet) {
  const byLanguage = boundedMap<LanguageInventory>(LANGUAGES, (v) => v.clips);
  return {
    add(training: string, language: string | undefined) {
      const strange = training.match(alphabet.outside(language));
      if (!strange) return;
      const inv = byLanguage.upsert(language ?? 'unknown', () => ({
        clips: 0,
        chars: boundedMap<CharCount>(CHARS_PER_LANGUAGE, (c) => c.count),
      }));
      inv.clips += 1;
      const seen = new Set<string>();
      for (const ch of strange) {
        const c = inv.chars.upsert(ch, () => ({ count: 0, clips: 0 }));
        c.count += 1;
        if (!seen.has(ch)) c.clips += 1;
        seen.add(ch);
      }
    },
    summary(top: number): Record<string, OutOfAlphabetSummary> {
      const out: Record<string, OutOfAlphabetSummary> = {};
      for (const [lang, inv] of topEntries(byLanguage, LANGUAGES, (v) => v.clips)) {
        out[lang] = {
          clips: inv.clips,
          distinct: inv.chars.entries().length,
          characters: topEntries(inv.chars, top, (c) => c.count).map(([char, c]) => ({
            char,
            code: describeCodePoint(char),
            count: c.count,
            clips: c.clips,
          })),
        };
      }
      return out;
    },
  };
}
