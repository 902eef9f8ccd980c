// Tokens a TTS front end must expand before training: digits, symbols, abbreviations. Counting them over
// the whole set says how much normalisation is missing, and the most frequent examples say which rules.

/**
 * Common abbreviations per language, as written (case-sensitive; an all-lower-case entry also matches
 * capitalised, as at a sentence start). Small on purpose: titles, street and saint, "etc." and friends,
 * month and unit shorthands left out because they collide with words ("May", "in").
 * Single-letter ones (French "M.", Spanish "D.") are left out: they read as initials. "No." counts only
 * capitalised, since English "no." is a word.
 */
export const ABBREVIATIONS: Record<string, readonly string[]> = {
  en: [
    'Mr.',
    'Mrs.',
    'Ms.',
    'Dr.',
    'St.',
    'Jr.',
    'Sr.',
    'Prof.',
    'Mt.',
    'Ave.',
    'Rd.',
    'Blvd.',
    'Capt.',
    'Col.',
    'Gen.',
    'Lt.',
    'Sgt.',
    'Rev.',
    'Hon.',
    'Gov.',
    'No.',
    'Co.',
    'Inc.',
    'Ltd.',
    'Corp.',
    'Dept.',
    'approx.',
    'etc.',
    'e.g.',
    'i.e.',
    'vs.',
    'cf.',
  ],
  de: [
    'Dr.',
    'Hr.',
    'Fr.',
    'Prof.',
    'Nr.',
    'Str.',
    'St.',
    'z.B.',
    'd.h.',
    'u.a.',
    'usw.',
    'bzw.',
    'ca.',
    'evtl.',
    'ggf.',
    'inkl.',
    'vgl.',
    'Jh.',
  ],
  es: [
    'Sr.',
    'Sra.',
    'Srta.',
    'Dr.',
    'Dra.',
    'Dña.',
    'Ud.',
    'Uds.',
    'Lic.',
    'Ing.',
    'Av.',
    'pág.',
    'núm.',
    'etc.',
    'p.ej.',
    'aprox.',
  ],
  fr: ['Mme', 'Mlle', 'MM.', 'Dr', 'Pr', 'St', 'Ste', 'av.', 'bd', 'etc.', 'p.ex.', 'cf.', 'env.', 'n°'],
  it: ['Sig.', 'Sig.ra', 'Sig.na', 'Dott.', 'Dott.ssa', 'Prof.', 'Ing.', 'Avv.', 'ecc.', 'pag.', 'p.es.'],
  nl: ['dhr.', 'mevr.', 'dr.', 'prof.', 'mr.', 'ir.', 'St.', 'bijv.', 'enz.', 'blz.', 'o.a.', 'd.w.z.', 'ca.', 'nr.'],
  pl: ['dr', 'prof.', 'mgr', 'inż.', 'ul.', 'al.', 'nr', 'np.', 'itd.', 'itp.', 'tzw.', 'ok.', 'godz.', 'tj.'],
  pt: ['Sr.', 'Sra.', 'Dr.', 'Dra.', 'Av.', 'pág.', 'nº', 'etc.', 'p.ex.', 'aprox.'],
};

export type UnnormalizedKind = 'digits' | 'symbols' | 'abbreviations';

// Sentence punctuation and quotes around a token are not part of it; "Dr." keeps its dot for the lookup.
const LEADING = /^["'“‘«‹([{¿¡]+/u;
const TRAILING = /[,;:!?"'”’»›)\]}…]+$/u;

export interface TokenScanner {
  /** Each unnormalized token of `text` with its kind (a token with a digit and a symbol counts as both). */
  scan(text: string, language: string | undefined): { kind: UnnormalizedKind; token: string }[];
}

/** `symbols` is a regex class body (the text analyzer's); `extra` adds abbreviations per language. */
export function tokenScanner(symbols: string, extra: Record<string, readonly string[]> = {}): TokenScanner {
  const symbol = new RegExp(`[${symbols}]`, 'u');
  const lists = new Map<string, Set<string>>();
  for (const lang of new Set([...Object.keys(ABBREVIATIONS), ...Object.keys(extra)])) {
    const set = new Set<string>();
    for (const a of [...(ABBREVIATIONS[lang] ?? []), ...(extra[lang] ?? [])]) {
      set.add(a);
      if (a === a.toLowerCase()) set.add(a.charAt(0).toUpperCase() + a.slice(1));
    }
    lists.set(lang, set);
  }
  return {
    scan(text, language) {
      const found: { kind: UnnormalizedKind; token: string }[] = [];
      const abbreviations = language === undefined ? undefined : lists.get(language);
      for (const raw of text.split(/\s+/u)) {
        const token = raw.replace(LEADING, '').replace(TRAILING, '');
        if (token === '') continue;
        const digit = /\p{Nd}/u.test(token);
        // For examples a trailing full stop is sentence punctuation ("1455."), not part of the number.
        if (digit) found.push({ kind: 'digits', token: token.replace(/\.+$/u, '') });
        if (symbol.test(token)) found.push({ kind: 'symbols', token });
        if (!digit && abbreviations?.has(token)) found.push({ kind: 'abbreviations', token });
      }
      return found;
    },
  };
}
