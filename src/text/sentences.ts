export const SENTENCE_TYPES = ['statement', 'question', 'exclamation', 'other'] as const;
export type SentenceType = (typeof SENTENCE_TYPES)[number];

// Closing quotes and brackets sit after the final mark ("Stop!" / (really?)): look through them.
const CLOSERS = /[\s"'”’»›)\]}」』*_]+$/u;
// The final run of sentence marks: ASCII, ellipsis, interrobang, full-width CJK, Arabic, Devanagari danda.
const FINAL_MARKS = /[.!?…‽。！？؟।]+$/u;
// Spanish opens questions and exclamations with ¿ ¡; a transcript that opens one and lost its closing mark
// still reads as one (after any opening quote or bracket).
const OPENER = /^[\s"'“‘«‹([{「『]*([¿¡])/u;

/**
 * Sentence type from the final punctuation of the raw transcript, which is what a TTS model learns
 * intonation from. A final run holding "?" is a question ("What?!", "Really…?"), else one holding "!" an
 * exclamation, else "." or an ellipsis a statement (trailing off still ends declaratively); no final mark
 * (a comma, a dash, nothing) is "other", unless the text opens with ¿ or ¡.
 */
export function sentenceType(raw: string): SentenceType {
  const body = raw.replace(CLOSERS, '');
  const marks = FINAL_MARKS.exec(body)?.[0] ?? '';
  if (/[?‽？؟]/u.test(marks)) return 'question';
  if (/[!！]/u.test(marks)) return 'exclamation';
  if (marks !== '') return 'statement';
  const opener = OPENER.exec(raw)?.[1];
  if (opener === '¿') return 'question';
  if (opener === '¡') return 'exclamation';
  return 'other';
}

export type SentenceCounts = Record<SentenceType, number>;

export const emptySentenceCounts = (): SentenceCounts => ({ statement: 0, question: 0, exclamation: 0, other: 0 });

export function sentenceShares(c: SentenceCounts): SentenceCounts {
  const total = c.statement + c.question + c.exclamation + c.other;
  const share = (n: number) => (total > 0 ? n / total : 0);
  return {
    statement: share(c.statement),
    question: share(c.question),
    exclamation: share(c.exclamation),
    other: share(c.other),
  };
}
