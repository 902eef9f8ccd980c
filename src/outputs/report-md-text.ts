import { cell, count, counted, num, share, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';

type TextDiversity = NonNullable<AuditReport['dataset']['textDiversity']>;

const SENTENCE_TYPES = ['statement', 'question', 'exclamation', 'other'] as const;
/** "other" alone reads as a category nobody defined: it is a transcript with no closing sentence mark. */
const SENTENCE_LABELS = {
  statement: 'statement (ends in . or …)',
  question: 'question (?)',
  exclamation: 'exclamation (!)',
  other: 'no closing mark (a comma, a dash or nothing)',
} as const;
const LANGUAGES_LISTED = 10;
/** Speakers listed in the text table; the analyzer may keep more (`textDiversity.topSpeakers`). */
const SPEAKERS_LISTED = 20;

/**
 * The letters a–z absent from an English set, when the character inventory kept in the report shows them all:
 * it holds the most frequent characters only, so a letter missing from it may still occur. The letters it does
 * hold must then number exactly the coverage figure's count.
 */
export function missingLetters(td: TextDiversity): string[] | undefined {
  if (td.letterCoverage === null) return undefined;
  const present = new Set(Object.keys(td.characters).map((ch) => ch.toLowerCase()));
  const letters = [...'abcdefghijklmnopqrstuvwxyz'];
  const missing = letters.filter((l) => !present.has(l));
  return 26 - missing.length === Math.round(td.letterCoverage * 26) ? missing : undefined;
}

function letterLine(td: TextDiversity): string {
  if (td.letterCoverage === null) return '';
  const seen = Math.round(td.letterCoverage * 26);
  if (seen === 26) return ' Every letter a–z occurs.';
  const missing = missingLetters(td);
  return missing
    ? ` ${seen} of the 26 letters a–z occur; never: ${missing.join(', ')}.`
    : ` ${seen} of the 26 letters a–z occur (the ${26 - seen} missing are not among the characters the report keeps).`;
}

/** The "Text" section: diversity figures, sentence types, unnormalized tokens, odd characters, speakers. */
export function textSection(r: AuditReport): string[] {
  const td = r.dataset.textDiversity;
  if (!td) return [];
  const nd = td.nearDuplicates;
  const lines: string[] = ['## Text', ''];
  lines.push(
    `${counted(td.tokens, 'word')}, vocabulary ${count(td.vocabulary)}, type–token ratio ${num(td.typeTokenRatio, 3)}, MATTR ${num(td.mattr, 3)}. ` +
      `${counted(td.duplicateTranscripts, 'transcript repeats', 'transcripts repeat')} an earlier one exactly, ` +
      `${count(td.nearDuplicateTranscripts)} nearly (edit similarity ≥ ${nd.threshold}` +
      `${nd.indexFull ? `; only the first ${count(nd.indexedClips)} clips remembered` : ''}).${letterLine(td)}`,
    '',
  );

  const st = td.sentenceTypes;
  lines.push(
    ...table(
      ['sentence type', 'clips', 'share'],
      'lrr',
      SENTENCE_TYPES.map((t) => [SENTENCE_LABELS[t], count(st.counts[t]), share(st.shares[t])]),
    ),
  );

  const kinds = [
    ['digits', td.unnormalized.digits],
    ['symbols', td.unnormalized.symbols],
    ['abbreviations', td.unnormalized.abbreviations],
  ] as const;
  lines.push(
    ...table(
      ['unnormalized tokens', 'tokens', 'clips', 'most frequent'],
      'lrrl',
      kinds.map(([name, k]) => [
        name,
        count(k.tokens),
        count(k.clips),
        k.examples
          .slice(0, 5)
          .map((e) => `${cell(e.token, 24)} ×${e.count}`)
          .join(', '),
      ]),
    ),
  );

  const odd = Object.entries(td.outOfAlphabet);
  if (odd.length > 0) {
    const rows = odd.slice(0, LANGUAGES_LISTED).map(([lang, o]) => {
      const listed = o.characters
        .slice(0, 8)
        .map((ch) => `${/^[\p{C}\s]$/u.test(ch.char) ? '' : `"${cell(ch.char)}" `}${ch.code} ×${ch.count}`)
        .join(', ');
      return [cell(lang, 20), count(o.clips), `${listed}${o.distinct > 8 ? ', …' : ''}`];
    });
    lines.push(...table(['language', 'clips with characters outside its alphabet', 'most frequent'], 'lrl', rows));
  }

  const sp = td.speakers;
  if (sp.top.length > 0) {
    const listed = sp.top.slice(0, SPEAKERS_LISTED);
    const rows = listed.map((s) => [
      cell(s.speaker, 40),
      count(s.clips),
      count(s.vocabulary),
      num(s.typeTokenRatio, 3),
      `${SENTENCE_TYPES.map((t) => num(s.sentenceTypes[t] * 100, 0)).join(' / ')} %`,
      count(s.duplicates),
      count(s.nearDuplicates),
    ]);
    // speakers is null when the bounded tally dropped some: how many more is then unknown
    if (sp.speakers === null || sp.speakers > listed.length)
      rows.push([
        `… ${sp.speakers === null ? '' : `${count(sp.speakers - listed.length)} `}more speakers`,
        ...Array<string>(6).fill(''),
      ]);
    lines.push(
      ...table(
        [
          'speaker',
          'clips',
          'vocabulary',
          'TTR',
          'statement / question / exclamation / no closing mark',
          'duplicates',
          'near-duplicates',
        ],
        'lrrrlrr',
        rows,
      ),
    );
  }
  return lines;
}
