import { evaluateGate } from './gate.js';
import { visible } from './report-html-escape.js';
import { codesInOrder } from './report-md-findings.js';
import { cell, code, count, counted, hours, prose, share, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';
import type { RunRecord } from './run-record.js';

export { DATACARD_FILE } from './run-record.js';

// datacard.md describes the curated set in the form of a Hugging Face dataset card (YAML metadata, then
// Markdown), so `curated/` can be published with it as its README.md after a read. It holds no time of day or
// run id: two runs of the same audit (a resumed one, a merged one) write the same card.
// Metadata fields: https://github.com/huggingface/hub-docs/blob/main/datasetcard.md

interface Corpus {
  /** Matched against the start of the report's title, which names the corpus for a Hub or parquet copy too. */
  title: RegExp;
  /** A licence id from https://hf.co/docs/hub/repositories-licenses */
  license: string;
  licenseNote: string;
  /** ISO 639-1, when the corpus has one language (MLS' comes from its clips). */
  language?: string;
}

// From the corpora's own licence files (see the head of each loader in src/sources/).
const CORPORA: Corpus[] = [
  {
    title: /^LJSpeech/,
    license: 'unlicense',
    licenseNote:
      'public domain (LibriVox recordings of public-domain texts); `unlicense` is the id the Hub’s own lj_speech card uses',
    language: 'en',
  },
  { title: /^VCTK/, license: 'cc-by-4.0', licenseNote: 'CC BY 4.0 (Veaux, Yamagishi, MacDonald)', language: 'en' },
  {
    title: /^LibriTTS/,
    license: 'cc-by-4.0',
    licenseNote: 'CC BY 4.0 (Zen et al.; Koizumi et al. for LibriTTS-R)',
    language: 'en',
  },
  { title: /^Multilingual LibriSpeech/, license: 'cc-by-4.0', licenseNote: 'CC BY 4.0 (Pratap et al.)' },
];

export const corpusOf = (r: AuditReport) => CORPORA.find((c) => c.title.test(r.source.title));

/** The Hub's size buckets, by number of examples (clips). */
const SIZE_BUCKETS: [number, string][] = [
  [1e3, 'n<1K'],
  [1e4, '1K<n<10K'],
  [1e5, '10K<n<100K'],
  [1e6, '100K<n<1M'],
  [1e7, '1M<n<10M'],
  [1e8, '10M<n<100M'],
  [1e9, '100M<n<1B'],
  [1e10, '1B<n<10B'],
  [1e11, '10B<n<100B'],
  [1e12, '100B<n<1T'],
];

export const sizeCategory = (n: number) => SIZE_BUCKETS.find(([limit]) => n < limit)?.[1] ?? 'n>1T';

/** ISO 639 codes of the set: the clips' own languages, those espeak-ng read, else the corpus'. */
export function languagesOf(r: AuditReport): string[] {
  const found = [
    ...Object.keys(r.dataset.coverage?.language.groups ?? {}),
    ...Object.keys(r.dataset.phonemeCoverage?.languages ?? {}),
  ]
    .map((l) => l.split(/[-_]/)[0]!.toLowerCase())
    .filter((l) => /^[a-z]{2,3}$/.test(l));
  const corpus = corpusOf(r)?.language;
  return [...new Set(found.length > 0 ? found : corpus ? [corpus] : [])];
}

/** A YAML double-quoted scalar: JSON's string syntax is valid YAML, and hidden characters are spelled out. */
const yamlString = (s: string) => JSON.stringify(visible(s));

function frontMatter(r: AuditReport): string[] {
  const corpus = corpusOf(r);
  const langs = languagesOf(r);
  return [
    '---',
    `pretty_name: ${yamlString(`${r.source.title}, curated by tts-audit`)}`,
    ...(langs.length > 0 ? ['language:', ...langs.map((l) => `- ${l}`)] : []),
    ...(corpus ? [`license: ${corpus.license}`] : []),
    'task_categories:',
    '- text-to-speech',
    'size_categories:',
    `- ${sizeCategory(r.summary.kept)}`,
    'tags:',
    '- tts-audit',
    '---',
    '',
  ];
}

/** The command line as a POSIX shell reads it, without the flags that only steer a run (`--resume`, `--force`). */
export function shellCommand(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['tts-audit', ...argv.filter((a) => a !== '--resume' && a !== '--force')]
    .map((a) => quote(visible(a)))
    .join(' ');
}

/** A fenced block that no run of backticks inside it can close. */
function fenced(text: string, info = ''): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, text, fence, ''];
}

function balanceLine(r: AuditReport, facet: 'gender' | 'accent', title: string): string[] {
  const f = r.dataset.coverage?.[facet];
  const entries = Object.entries(f?.groups ?? {});
  if (!f || entries.length === 0) return [];
  const total = entries.reduce((a, [, g]) => a + g.hours, 0);
  const listed = entries
    .slice(0, 8)
    .map(([k, g]) => `${cell(k, 40)} ${hours(g.hours)} h (${share(total > 0 ? g.hours / total : 0)})`)
    .join(', ');
  return [`- **${title}**: ${listed}${f.balance.groups > 8 ? `, … ${count(f.balance.groups - 8)} more` : ''}.`];
}

export function renderDatacard(r: AuditReport, record: Pick<RunRecord, 'command' | 'configSha256'>): string {
  const s = r.summary;
  const corpus = corpusOf(r);
  const speakers = r.dataset.totals?.speakers ?? r.dataset.coverage?.speaker.balance.groups ?? 0;
  const lines = frontMatter(r);
  lines.push(`# ${cell(r.source.title)}, curated by tts-audit`, '');
  lines.push(
    `The clips of ${cell(r.source.title)} that tts-audit ${r.tool.version} kept: every clip with no finding of severity error. ` +
      "They sit in curated/ beside this card, in the dataset's own layout; the audit's reports (report.md, report.html, report.json) are beside it too.",
    '',
  );
  lines.push('## The set', '');
  lines.push(
    ...table(['', 'clips', 'hours'], 'lrr', [
      ['kept', count(s.kept), hours(s.hoursKept)],
      ['… of which to trim or filter', count(s.trimmed), ''],
      ['dropped', count(s.dropped), ''],
      ['audited (analysed of listed)', `${count(s.analysed)} of ${count(s.listed)}`, hours(s.hoursAnalysed)],
    ]),
  );
  lines.push(`- **Speakers**: ${count(speakers)}.`);
  lines.push(...balanceLine(r, 'gender', 'Gender'), ...balanceLine(r, 'accent', 'Accents'));
  const langs = languagesOf(r);
  if (langs.length > 0) lines.push(`- **Languages**: ${langs.join(', ')}.`);
  lines.push(
    `- **Licence**: ${corpus ? corpus.licenseNote : 'not known to tts-audit: add the corpus’ own before publishing'}.`,
    '',
  );

  // A code with no worst clip belongs to manifest lines or files (a malformed line), not to a dropped clip.
  const errors = codesInOrder(r).filter(([, f]) => f.severity === 'error' && f.worst.length > 0);
  lines.push('## What was dropped, and why', '');
  if (errors.length === 0) lines.push('Nothing: no clip had a finding of severity error.', '');
  else {
    lines.push(
      `${counted(s.dropped, 'clip was', 'clips were')} dropped; a clip may carry several of these (curated/dropped.jsonl gives every reason of every clip).`,
      '',
      ...table(
        ['finding', 'clips', 'meaning'],
        'lrl',
        errors.map(([c, f]) => [code(c), count(f.clips), prose(f.description, 300)]),
      ),
    );
  }

  lines.push('## How it was made', '');
  if (record.command) lines.push(...fenced(shellCommand(record.command), 'sh'));
  else
    lines.push(
      `Made by a library call (audit() or merge()) on ${cell(r.source.root)}; no command line was recorded.`,
      '',
    );
  lines.push(`Config sha256 ${record.configSha256.slice(0, 16)}…; every threshold is in report.json under config.`, '');

  lines.push('## Caveats', '');
  const caveats = [
    'Every figure is measured by signal processing and text rules, not by listening: a clip can pass with a fault no rule covers, or be dropped by a threshold that suits another corpus. Listen to a sample before training.',
    'Speaker, gender and accent figures count every analysed clip, dropped ones included.',
  ];
  if (r.selection && (r.selection.limit !== undefined || r.selection.sample !== undefined || r.selection.shard))
    caveats.push(`Part of the dataset was audited: ${cell(r.selection.note, 400)}`);
  const failed = evaluateGate(r, r.config.gate).filter((x) => !x.holds);
  if (failed.length > 0)
    caveats.push(
      `The set fails ${counted(failed.length, 'rule')} of the gate (${failed.map((x) => code(x.rule)).join(', ')}): report.md says why and what to do.`,
    );
  if (r.run.state === 'interrupted') caveats.push('The run was interrupted: the figures cover only the clips done.');
  if (s.trimmed > 0)
    caveats.push(
      `${counted(s.trimmed, 'kept clip keeps', 'kept clips keep')} leading or trailing silence that curated/trims.jsonl says to cut.`,
    );
  if (s.unreadable > 0)
    caveats.push(`${counted(s.unreadable, 'clip', 'clips')} could not be read and are not in the set.`);
  lines.push(...caveats.map((c) => `- ${c}`), '');
  return lines.join('\n');
}
