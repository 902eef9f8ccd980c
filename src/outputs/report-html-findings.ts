import type { Finding, Severity } from '../types.js';
import type { ClipDetails } from './report-html-clips.js';
import { hrefOfPath, markup, truncate, type Html } from './report-html-escape.js';
import { num } from './report-html-sections.js';
import type { AuditReport } from './report-schema.js';

// The bottom of report.html: per finding, its worst clips with value, threshold, transcript and a player; then one
// table of every clip the report names, which the page script filters and sorts (without a script it is a
// plain table); then the manifest's own problems.

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
/** Transcripts may be long (limits.maxTranscriptChars); the page must stay small at any corpus size. */
const TRANSCRIPT_CHARS = 600;
const MESSAGE_CHARS = 400;
const MAX_SOURCE_FINDINGS = 100;

const where = (f: Finding) =>
  f.origin
    ? `${f.origin.file}${f.origin.line !== undefined ? `:${f.origin.line}` : ''}${f.origin.row !== undefined ? ` row ${f.origin.row}` : ''}`
    : '';

/** A catalog description with its `setting` names as code; each piece is still escaped. */
const described = (s: string) =>
  s.split('`').map((piece, i) => (i % 2 === 1 ? markup`<code>${piece}</code>` : markup`${piece}`));

const valueOf = (f: Finding) => (f.value === undefined ? '' : `${num(f.value)}${f.unit ? ` ${f.unit}` : ''}`);

function player(d: ClipDetails | undefined): Html {
  if (d?.audioHref === undefined) return markup``;
  return markup`<audio controls preload="none" src="${hrefOfPath(d.audioHref)}"></audio>`;
}

/** Codes as report.md sorts them: errors first, then by how many clips carry them. */
export function sortedCodes(r: AuditReport) {
  return Object.entries(r.findings).sort(
    (a, b) => SEVERITY_ORDER[a[1].severity] - SEVERITY_ORDER[b[1].severity] || b[1].clips - a[1].clips,
  );
}

function worstRow(f: Finding, details: Map<string, ClipDetails>): Html {
  const d = f.clipId === undefined ? undefined : details.get(f.clipId);
  const speaker = d?.speaker !== undefined ? markup`<br><span class="speaker">${d.speaker}</span>` : '';
  const pct = f.percentile === undefined ? '' : `p${Math.round(f.percentile)}`;
  return markup`<tr><td class="data id">${f.clipId ?? ''}${speaker}</td><td class="data where">${where(f)}</td><td class="num">${valueOf(f)}</td><td class="num">${f.threshold === undefined ? '' : num(f.threshold)}</td><td class="num">${pct}</td><td class="data">${truncate(f.message, MESSAGE_CHARS)}</td><td class="data transcript">${d ? truncate(d.text, TRANSCRIPT_CHARS) : ''}</td><td>${player(d)}</td></tr>\n`;
}

export function findingsSection(r: AuditReport, details: Map<string, ClipDetails>): Html {
  const codes = sortedCodes(r);
  if (codes.length === 0) return markup`<section id="findings"><h2>Findings</h2><p>None.</p></section>`;
  const summary = codes.map(
    ([code, f], i) =>
      markup`<tr class="${f.severity}"><td><a href="#finding-${i}"><code>${code}</code></a></td><td>${f.severity}</td><td class="num">${f.clips}</td><td>${described(f.description)}</td></tr>\n`,
  );
  const articles = codes.map(([code, f], i) =>
    f.worst.length === 0
      ? ''
      : markup`<article class="finding ${f.severity}" id="finding-${i}">
<h3><code>${code}</code> — ${f.severity}, ${f.clips} clip(s); the worst ${f.worst.length}</h3>
<p>${described(f.description)}</p>
<table class="worst"><thead><tr><th>clip</th><th>where</th><th>value</th><th>threshold</th><th>percentile</th><th>why</th><th>transcript</th><th>listen</th></tr></thead><tbody>
${f.worst.map((w) => worstRow(w, details))}</tbody></table>
</article>\n`,
  );
  return markup`<section id="findings">
<h2>Findings</h2>
<table class="codes"><thead><tr><th>code</th><th>severity</th><th>clips</th><th>meaning</th></tr></thead><tbody>
${summary}</tbody></table>
${articles}</section>`;
}

interface FlaggedRow {
  id: string;
  severity: Severity;
  codes: string[];
  d: ClipDetails | undefined;
}

/** Every clip named in a worst list, once, with all its finding codes (from the clips log when it was read). */
function flaggedRows(r: AuditReport, details: Map<string, ClipDetails>): FlaggedRow[] {
  const rows = new Map<string, FlaggedRow>();
  const add = (row: FlaggedRow, code: string, severity: Severity) => {
    if (!row.codes.includes(code)) row.codes.push(code);
    if (SEVERITY_ORDER[severity] < SEVERITY_ORDER[row.severity]) row.severity = severity;
  };
  for (const [code, f] of sortedCodes(r))
    for (const w of f.worst) {
      if (w.clipId === undefined) continue;
      const row = rows.get(w.clipId);
      if (row) add(row, code, w.severity);
      else rows.set(w.clipId, { id: w.clipId, severity: w.severity, codes: [code], d: details.get(w.clipId) });
    }
  for (const row of rows.values()) for (const f of row.d?.findings ?? []) add(row, f.code, f.severity);
  return [...rows.values()];
}

function metricCell(d: ClipDetails | undefined, metric: string, digits = 2): Html {
  const v = d?.metrics[metric];
  return v === undefined || !Number.isFinite(v)
    ? markup`<td class="num"></td>`
    : markup`<td class="num" data-v="${v}">${num(v, digits)}</td>`;
}

function flaggedRow(row: FlaggedRow): Html {
  const codes = row.codes.map((c, i) => markup`${i > 0 ? ' ' : ''}<code>${c}</code>`);
  const metrics = [
    metricCell(row.d, 'signal.duration_sec'),
    metricCell(row.d, 'noise.snr_db', 1),
    metricCell(row.d, 'loudness.integrated_lufs', 1),
  ];
  return markup`<tr data-codes="${row.codes.join(' ')}" data-sev="${row.severity}"><td class="data id">${row.id}</td><td class="data">${row.d?.speaker ?? ''}</td><td class="${row.severity}" data-v="${SEVERITY_ORDER[row.severity]}">${row.severity}</td><td>${codes}</td>${metrics}<td class="data transcript">${row.d ? truncate(row.d.text, 160) : ''}</td><td>${player(row.d)}</td></tr>\n`;
}

export function flaggedSection(r: AuditReport, details: Map<string, ClipDetails>): Html {
  const rows = flaggedRows(r, details);
  if (rows.length === 0) return markup``;
  const codes = [...new Set(rows.flatMap((row) => row.codes))].sort();
  return markup`<section id="flagged">
<h2>Flagged clips</h2>
<p>The ${rows.length} clips the findings above name, each with all its findings.</p>
<div class="controls" id="flagged-controls" hidden>
<label>Search <input type="search" id="flagged-q" placeholder="id, speaker, transcript, finding"></label>
<label>Finding <select id="flagged-code"><option value="">any</option>${codes.map((c) => markup`<option value="${c}">${c}</option>`)}</select></label>
<label>Severity <select id="flagged-sev"><option value="">any</option><option value="error">error</option><option value="warning">warning</option><option value="info">info</option></select></label>
<output id="flagged-count"></output>
</div>
<table id="flagged-table"><thead><tr><th>clip</th><th>speaker</th><th>severity</th><th>findings</th><th>duration (s)</th><th>SNR (dB)</th><th>loudness (LUFS)</th><th>transcript</th><th>listen</th></tr></thead><tbody>
${rows.map(flaggedRow)}</tbody></table>
</section>`;
}

export function manifestSection(r: AuditReport): Html {
  const shown = r.sourceFindings.slice(0, MAX_SOURCE_FINDINGS);
  if (shown.length === 0) return markup``;
  const more = r.sourceFindings.length - shown.length;
  return markup`<section id="manifest">
<h2>Manifest problems</h2>
<table><thead><tr><th>clip</th><th>where</th><th>why</th></tr></thead><tbody>
${shown.map((f) => markup`<tr><td class="data">${f.clipId ?? ''}</td><td class="data">${where(f)}</td><td class="data">${truncate(f.message, MESSAGE_CHARS)}</td></tr>\n`)}</tbody></table>
${more > 0 ? markup`<p>… and ${more} more in report.json.</p>\n` : ''}</section>`;
}
