import type { Finding } from '../types.js';
import { cell, code, count, counted, prose, table } from './report-md-util.js';
import type { AuditReport, WorstClip } from './report-schema.js';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
/** Worst clips shown per code when the page has room: errors drop clips, so they get more. */
const ROWS_PER_CODE = { error: 5, warning: 3, info: 2 } as const;
/** Lines a code's section costs besides its rows: heading, blank, table header and rule, blank. */
const SECTION_OVERHEAD = 5;
const MANIFEST_ROWS = 10;

const whereOf = (f: Finding) =>
  f.origin ? `${f.origin.file}${f.origin.line !== undefined ? `:${f.origin.line}` : ''}` : '';

/** A ranked code's entries are ordered by how far past the threshold they are; others arrive in manifest order. */
const ranked = (worst: readonly Finding[]) => worst.some((w) => w.value !== undefined && w.threshold !== undefined);

/** Codes by severity, then by clips carrying them. */
export function codesInOrder(r: AuditReport) {
  return Object.entries(r.findings).sort(
    (a, b) => SEVERITY_ORDER[a[1].severity] - SEVERITY_ORDER[b[1].severity] || b[1].clips - a[1].clips,
  );
}

/** The table of every code: severity, clips, meaning. */
export function findingsOverview(r: AuditReport): string[] {
  const codes = codesInOrder(r);
  const lines = ['## Findings', ''];
  if (codes.length === 0) return [...lines, 'None.', ''];
  return [
    ...lines,
    ...table(
      ['code', 'severity', 'clips', 'meaning'],
      'llrl',
      codes.map(([c, f]) => [code(c), f.severity, count(f.clips), prose(f.description, 400)]),
    ),
  ];
}

function worstRow(w: WorstClip, withPercentile: boolean): string[] {
  const row = [cell(w.clipId ?? '', 60), cell(whereOf(w), 80), cell(w.message, 160)];
  if (withPercentile) row.push(w.percentile !== undefined ? `p${Math.round(w.percentile)}` : '');
  row.push(w.transcript !== undefined ? cell(w.transcript, 80) : '');
  return row;
}

/**
 * Per code, its worst clips, within `budget` lines: every code gets a short table while the budget lasts
 * (errors first), and the codes left over are named in one line pointing at report.html and report.json.
 */
export function worstSections(r: AuditReport, budget: number): string[] {
  const lines: string[] = [];
  const left: string[] = [];
  for (const [c, f] of codesInOrder(r)) {
    if (f.worst.length === 0) continue;
    const rows = Math.min(f.worst.length, ROWS_PER_CODE[f.severity]);
    // the leftover line needs room too
    if (left.length > 0 || lines.length + SECTION_OVERHEAD + rows + 2 > budget) {
      left.push(code(c));
      continue;
    }
    const isRanked = ranked(f.worst);
    const heading = isRanked
      ? `worst ${count(rows)} of ${count(f.clips)}`
      : `first ${count(rows)} of ${count(f.clips)}, in manifest order (not ranked)`;
    const withPercentile = f.worst.some((w) => w.percentile !== undefined);
    const header = ['clip', 'where', 'why', ...(withPercentile ? ['percentile'] : []), 'transcript'];
    lines.push(`### ${code(c)} — ${heading}`, '');
    lines.push(
      ...table(
        header,
        withPercentile ? 'lllrl' : 'llll',
        f.worst.slice(0, rows).map((w) => worstRow(w, withPercentile)),
      ),
    );
  }
  if (left.length > 0)
    lines.push(
      `The worst clips of ${counted(left.length, 'more code')} (${left.join(', ')}) are in report.html and report.json.`,
      '',
    );
  return lines;
}

/**
 * Problems of the manifests themselves. A message names its own file and line, so the location column is not
 * repeated in it; a clip column appears only when some problem belongs to a clip.
 */
export function manifestSection(r: AuditReport): string[] {
  const all = r.sourceFindings;
  if (all.length === 0) return [];
  const withClip = all.some((f) => f.clipId !== undefined);
  const rows = all.slice(0, MANIFEST_ROWS).map((f) => {
    const where = whereOf(f);
    const message = where && f.message.startsWith(`${where}: `) ? f.message.slice(where.length + 2) : f.message;
    return [...(withClip ? [cell(f.clipId ?? '', 60)] : []), cell(where, 80), code(f.code), cell(message, 200)];
  });
  const lines = ['## Manifest problems', ''];
  lines.push(...table([...(withClip ? ['clip'] : []), 'where', 'code', 'problem'], withClip ? 'llll' : 'lll', rows));
  if (all.length > MANIFEST_ROWS)
    lines.push(`… and ${count(all.length - MANIFEST_ROWS)} more in report.json (which keeps the first 500).`, '');
  return lines;
}
