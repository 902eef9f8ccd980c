import { text as textAnalyzer } from '../analyzers/clip/text.js';
import { boundedMap, topEntries, type BoundedMap } from './bounded-map.js';

// The clip analyzer's own alphabets (letters per language, punctuation, symbols), so the dataset inventory
// and the per-clip `text.out_of_alphabet` finding agree on what is outside. Its defaults, since a dataset
// analyzer does not see another analyzer's config.
export const TEXT_DEFAULTS = textAnalyzer.config.parse(undefined);

/** Distinct characters kept per language and languages kept: both bounded, whatever the data holds. */
const CHARS_PER_LANGUAGE = 1024;
const LANGUAGES = 64;

const outsidePatterns = new Map<string, RegExp>();
function outsideOf(language: string | undefined): RegExp {
  const letters = (language && TEXT_DEFAULTS.letters[language]) || '\\p{L}\\p{M}';
  let re = outsidePatterns.get(letters);
  if (!re) {
    // The same class as clip/text.ts: letters, punctuation, digits and symbols are inside.
    re = new RegExp(`[^${letters}${TEXT_DEFAULTS.punctuation}0-9${TEXT_DEFAULTS.symbols}]`, 'gu');
    outsidePatterns.set(letters, re);
  }
  return re;
}

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
export function alphabetInventory() {
  const byLanguage = boundedMap<LanguageInventory>(LANGUAGES, (v) => v.clips);
  return {
    add(training: string, language: string | undefined) {
      const strange = training.match(outsideOf(language));
      if (!strange) return;
      const inv = byLanguage.upsert(language ?? 'unknown', () => ({ clips: 0, chars: boundedMap<CharCount>(CHARS_PER_LANGUAGE, (c) => c.count) }));
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
        const all = inv.chars.entries();
        out[lang] = {
          clips: inv.clips,
          distinct: all.length,
          characters: topEntries(inv.chars, top, (c) => c.count).map(([char, c]) => ({ char, code: describeCodePoint(char), count: c.count, clips: c.clips })),
        };
      }
      return out;
    },
  };
}
