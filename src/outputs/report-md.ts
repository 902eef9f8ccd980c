import { cell } from './report-md-util.js';
import { worstSections, findingsOverview, manifestSection } from './report-md-findings.js';
import {
  coverageSection,
  distributionsSection,
  formatSection,
  phonemeSection,
  totalsSection,
} from './report-md-sections.js';
import { textSection } from './report-md-text.js';
import { verdictSection } from './report-md-verdict.js';
import { prosodyMarkdown } from './report-md-prosody.js';
import { transcriptsMarkdown } from './report-md-transcripts.js';
import { voicesMarkdown } from './report-md-voices.js';
import type { AuditReport } from './report-schema.js';

/**
 * report.md stays readable in a review whatever the dataset's size: every section has a fixed maximum of rows, and the
 * worst clips per finding fill what is left of this many lines (report.html and report.json hold the rest).
 */
export const MAX_MARKDOWN_LINES = 295;

/** A review of a report: the verdict and what to do next, then totals, coverage, distributions, text, findings. */
export function renderMarkdown(r: AuditReport): string {
  const head: string[] = [`# tts-audit report: ${cell(r.source.title)}`, ''];
  head.push(
    `Source ${cell(r.source.root)} (${cell(r.source.format)}), audited ${r.run.finishedAt} by tts-audit ${r.tool.version}.`,
    '',
  );
  const sel = r.selection;
  if (sel && (sel.limit !== undefined || sel.sample !== undefined || sel.shard || r.run.state === 'interrupted'))
    head.push(`**Scope:** ${cell(sel.note, 1000)}`, '');
  const body = [
    ...verdictSection(r),
    ...totalsSection(r),
    ...coverageSection(r),
    ...voicesMarkdown(r),
    ...prosodyMarkdown(r),
    ...distributionsSection(r),
    ...textSection(r),
    ...transcriptsMarkdown(r),
    ...phonemeSection(r),
    ...formatSection(r),
    ...findingsOverview(r),
  ];
  const manifest = manifestSection(r);
  const used = head.length + body.length + manifest.length;
  const worst = worstSections(r, MAX_MARKDOWN_LINES - used);
  return [...head, ...body, ...worst, ...manifest].join('\n');
}
