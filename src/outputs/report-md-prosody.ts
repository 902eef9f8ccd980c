import { cell, count, num, share, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';

/** Speakers listed in report.md; report.json and report.html hold more. */
const MAX_SPEAKER_ROWS = 10;
const TYPES = ['question', 'statement', 'exclamation', 'other'] as const;
const LABELS = {
  question: 'questions (?)',
  statement: 'statements (. or …)',
  exclamation: 'exclamations (!)',
  other: 'no closing mark',
} as const;

/** The prosody section of report.md: the verdicts in words, endings by sentence type, and the top speakers. */
export function prosodyMarkdown(r: AuditReport): string[] {
  const s = r.dataset.prosodyCoverage;
  if (!s || s.clips === 0) return [];
  const endings = TYPES.flatMap((type) => {
    const c = s.contoursBySentence[type];
    const n = c ? c.rise + c.fall + c.flat : 0;
    return c && n > 0 ? [[LABELS[type], count(n), share(c.rise / n), share(c.flat / n), share(c.fall / n)]] : [];
  });
  const speakers = Object.entries(s.perSpeaker).sort((a, b) => b[1].clips - a[1].clips);
  const rows = speakers
    .slice(0, MAX_SPEAKER_ROWS)
    .map(([name, p]) => [
      cell(name),
      count(p.clips),
      num(p.f0SpreadSt, 2),
      `${p.questionsRising} / ${p.questions}`,
      `${p.statementsFalling} / ${p.statements}`,
      num(p.expressiveness, 0),
    ]);
  const more = speakers.length - MAX_SPEAKER_ROWS;
  return [
    '## Prosody',
    '',
    // The verdicts are built from figures alone (no dataset text), so they need no escaping.
    ...s.verdicts.map((v) => `- ${v}`),
    '',
    ...(endings.length > 0
      ? table(['transcripts', 'clips with a measured ending', 'rise', 'flat', 'fall'], 'lrrrr', endings)
      : []),
    ...table(
      ['speaker', 'clips', 'F0 spread (st)', 'questions rising', 'statements falling', 'expressiveness'],
      'lrrrrr',
      rows,
    ),
    ...(more > 0 ? [`… and ${count(more)} more speakers in report.html and report.json.`, ''] : []),
  ];
}
