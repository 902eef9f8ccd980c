import type { Finding } from '../types.js';
import { markdownText } from './report-html-escape.js';
import { voicesMarkdown } from './report-md-voices.js';
import type { AuditReport } from './report-schema.js';

const fmt = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
// Ids, speakers, paths, transcripts and messages quoting them come from the dataset: as text, never as a link,
// image, code span, HTML or a table's column break, with bidi and zero-width characters spelled out.
const cell = (s: string) => markdownText(s);
/** A finding code or metric name in a code span when it is plain, else as escaped text (a report can be edited). */
const code = (s: string) => (/^[\w.[\]-]+$/.test(s) ? `\`${s}\`` : markdownText(s));
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function findingRow(f: Finding): string {
  const where = f.origin ? `${f.origin.file}${f.origin.line !== undefined ? `:${f.origin.line}` : ''}` : '';
  const pct = f.percentile !== undefined ? `p${Math.round(f.percentile)}` : '';
  return `| ${cell(f.clipId ?? '')} | ${cell(where)} | ${cell(f.message)} | ${pct} |`;
}

const FACET_TITLES = {
  speaker: 'Speakers',
  gender: 'Gender',
  accent: 'Accents',
  language: 'Languages',
  split: 'Splits',
} as const;

function coverageSection(r: AuditReport): string[] {
  const cov = r.dataset.coverage;
  if (!cov) return [];
  const lines: string[] = [];
  for (const facet of Object.keys(FACET_TITLES) as (keyof typeof FACET_TITLES)[]) {
    const { groups, balance, unlisted } = cov[facet];
    const entries = Object.entries(groups);
    if (entries.length < 2 && facet !== 'speaker') continue;
    lines.push(`### ${FACET_TITLES[facet]}`, '');
    lines.push(
      `${balance.groups} group(s); balance of hours: normalized entropy ${fmt(balance.normalizedEntropy)}, Gini ${fmt(balance.gini)}, largest/smallest ${fmt(balance.maxMinRatio, 1)}.`,
      '',
    );
    if (entries.length > 1) {
      lines.push('| group | clips | hours |', '|---|---:|---:|');
      for (const [k, g] of entries.slice(0, 30)) lines.push(`| ${cell(k)} | ${g.clips} | ${fmt(g.hours, 3)} |`);
      const more = entries.length - 30 + unlisted;
      if (more > 0) lines.push(`| … ${more} more | | |`);
      lines.push('');
    }
  }
  if (cov.speakersBelowMinimum.length > 0) {
    const listed = cov.speakersBelowMinimum
      .slice(0, 20)
      .map((s) => `${cell(s.speaker)} (${fmt(s.minutes, 1)} min)`)
      .join(', ');
    lines.push(
      `${cov.speakersBelowMinimum.length} speaker(s) below ${r.config.analyzers.coverage.minMinutesPerSpeaker} minutes: ${listed}${cov.speakersBelowMinimum.length > 20 ? ', …' : ''}.`,
      '',
    );
  }
  return lines;
}

const pct = (x: number) => `${fmt(x * 100, 0)} %`;
const SENTENCE_TYPES = ['statement', 'question', 'exclamation', 'other'] as const;

/** The "Text" section: diversity figures, sentence types, unnormalized tokens, odd characters, speakers. */
function textSection(r: AuditReport): string[] {
  const td = r.dataset.textDiversity;
  if (!td) return [];
  const lines: string[] = ['## Text', ''];
  lines.push(
    `${td.tokens} words, vocabulary ${td.vocabulary}, type–token ratio ${fmt(td.typeTokenRatio, 3)}, MATTR ${fmt(td.mattr, 3)}, ` +
      `${td.duplicateTranscripts} duplicate and ${td.nearDuplicateTranscripts} near-duplicate transcripts (edit similarity ≥ ${td.nearDuplicates.threshold}` +
      `${td.nearDuplicates.indexFull ? `; only the first ${td.nearDuplicates.indexedClips} clips remembered` : ''})` +
      `${td.letterCoverage !== null ? `, letters a–z covered ${fmt(td.letterCoverage * 100, 0)} %` : ''}.`,
    '',
  );

  const st = td.sentenceTypes;
  lines.push('| sentence type | clips | share |', '|---|---:|---:|');
  for (const t of SENTENCE_TYPES) lines.push(`| ${t} | ${st.counts[t]} | ${pct(st.shares[t])} |`);
  lines.push('');

  const kinds = [
    ['digits', td.unnormalized.digits],
    ['symbols', td.unnormalized.symbols],
    ['abbreviations', td.unnormalized.abbreviations],
  ] as const;
  lines.push('| unnormalized tokens | tokens | clips | most frequent |', '|---|---:|---:|---|');
  for (const [name, k] of kinds)
    lines.push(
      `| ${name} | ${k.tokens} | ${k.clips} | ${k.examples
        .slice(0, 5)
        .map((e) => `${cell(e.token.slice(0, 24))} ×${e.count}`)
        .join(', ')} |`,
    );
  lines.push('');

  const odd = Object.entries(td.outOfAlphabet);
  if (odd.length > 0) {
    lines.push('| language | clips with characters outside its alphabet | most frequent |', '|---|---:|---|');
    for (const [lang, o] of odd.slice(0, 10)) {
      const listed = o.characters
        .slice(0, 8)
        .map((ch) => `${/^[\p{C}\s]$/u.test(ch.char) ? '' : `"${cell(ch.char)}" `}${ch.code} ×${ch.count}`)
        .join(', ');
      lines.push(`| ${cell(lang)} | ${o.clips} | ${listed}${o.distinct > 8 ? ', …' : ''} |`);
    }
    lines.push('');
  }

  const sp = td.speakers;
  if (sp.top.length > 0) {
    lines.push(
      '| speaker | clips | vocabulary | TTR | statement / question / exclamation / other | duplicates | near-duplicates |',
      '|---|---:|---:|---:|---|---:|---:|',
    );
    for (const s of sp.top) {
      const shares = SENTENCE_TYPES.map((t) => fmt(s.sentenceTypes[t] * 100, 0)).join(' / ');
      lines.push(
        `| ${cell(s.speaker)} | ${s.clips} | ${s.vocabulary} | ${fmt(s.typeTokenRatio, 3)} | ${shares} % | ${s.duplicates} | ${s.nearDuplicates} |`,
      );
    }
    // speakers is null when the bounded tally dropped some: how many more is then unknown
    if (sp.speakers === null || sp.speakers > sp.top.length) {
      lines.push(`| … ${sp.speakers === null ? '' : `${sp.speakers - sp.top.length} `}more speakers | | | | | | |`);
    }
    lines.push('');
  }
  return lines;
}

/** A readable review of a report: totals, distributions, then the worst clips per finding. */
export function renderMarkdown(r: AuditReport): string {
  const s = r.summary;
  const lines: string[] = [];
  lines.push(`# tts-audit report: ${cell(r.source.title)}`, '');
  lines.push(
    `Source ${cell(r.source.root)} (${cell(r.source.format)}), audited ${r.run.finishedAt} by tts-audit ${r.tool.version}.`,
    '',
  );
  const sel = r.selection;
  if (sel && (sel.limit !== undefined || sel.sample !== undefined || sel.shard || r.run.state === 'interrupted')) {
    lines.push(`**Scope:** ${markdownText(sel.note, 1000)}`, '');
  }
  lines.push('## Totals', '');
  lines.push('| | clips | hours |', '|---|---:|---:|');
  lines.push(`| listed | ${s.listed} | |`);
  lines.push(`| analysed | ${s.analysed} | ${fmt(s.hoursAnalysed, 3)} |`);
  lines.push(`| kept | ${s.kept} | ${fmt(s.hoursKept, 3)} |`);
  lines.push(`| … of which with a suggested trim | ${s.trimmed} | |`);
  lines.push(`| dropped (any error) | ${s.dropped} | |`);
  lines.push(`| unreadable audio | ${s.unreadable} | |`);
  lines.push(`| malformed manifest lines | ${s.malformedLines} | |`, '');
  lines.push(
    `Findings: ${s.findingsBySeverity.error} errors, ${s.findingsBySeverity.warning} warnings, ${s.findingsBySeverity.info} info. ` +
      `Analysed at ${fmt(r.run.realtimeFactor, 0)}× real time per CPU second.`,
    '',
  );

  lines.push(...coverageSection(r));

  const dist = r.dataset.distributions;
  if (dist && Object.keys(dist).length > 0) {
    lines.push(
      '## Distributions',
      '',
      '| metric | n | p5 | p25 | median | p75 | p95 | min | max |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const [m, d] of Object.entries(dist)) {
      const p = d.percentiles;
      lines.push(
        `| ${code(m)} | ${d.count} | ${fmt(p.p5)} | ${fmt(p.p25)} | ${fmt(p.p50)} | ${fmt(p.p75)} | ${fmt(p.p95)} | ${fmt(d.min)} | ${fmt(d.max)} |`,
      );
    }
    lines.push('');
  }

  lines.push(...textSection(r));
  const phonemeNote = r.dataset.phonemeRateOutliers?.note;
  if (phonemeNote) lines.push(`Note: ${cell(phonemeNote)}`, '');
  const phon = r.dataset.phonemeCoverage;
  if (phon && Object.keys(phon.languages).length > 0) {
    lines.push(
      '### Phonemes (espeak-ng)',
      '',
      '| language | clips | phonemes | diphones | diphone coverage | rare diphones |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const [lang, l] of Object.entries(phon.languages))
      lines.push(
        `| ${cell(lang)} | ${l.clips} | ${l.phonemes} | ${l.diphones} | ${fmt(l.diphoneCoverage, 3)} | ${l.rareDiphones} |`,
      );
    lines.push('');
  }
  const format = r.dataset.format;
  if (format) {
    const expected = format.expected
      ? `${format.expected.sampleRate} Hz / ${format.expected.bitDepth}-bit / ${format.expected.channels} ch (${format.expectedFrom})`
      : 'none';
    lines.push(
      `Audio formats: ${
        Object.entries(format.formats)
          .map(([k, n]) => `${cell(k)} × ${n}`)
          .join(', ') || 'none'
      }; expected ${expected}.`,
      '',
    );
  }

  lines.push(...voicesMarkdown(r));
  const codes = Object.entries(r.findings).sort(
    (a, b) => SEVERITY_ORDER[a[1].severity] - SEVERITY_ORDER[b[1].severity] || b[1].clips - a[1].clips,
  );
  lines.push('## Findings', '');
  if (codes.length === 0) lines.push('None.', '');
  else {
    lines.push('| code | severity | clips | meaning |', '|---|---|---:|---|');
    for (const [c, f] of codes) lines.push(`| ${code(c)} | ${f.severity} | ${f.clips} | ${cell(f.description)} |`);
    lines.push('');
    for (const [c, f] of codes) {
      if (f.worst.length === 0) continue;
      lines.push(
        `### ${code(c)} — worst ${f.worst.length}`,
        '',
        '| clip | where | why | percentile |',
        '|---|---|---|---|',
      );
      for (const w of f.worst) lines.push(findingRow(w));
      lines.push('');
    }
  }
  if (r.sourceFindings.length > 0) {
    lines.push('## Manifest problems', '', '| clip | where | why | |', '|---|---|---|---|');
    for (const f of r.sourceFindings.slice(0, 50)) lines.push(findingRow(f));
    lines.push('');
  }
  return lines.join('\n');
}
