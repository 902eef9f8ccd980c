import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { clipDetails, type ClipDetails } from './report-html-clips.js';
import { markup, trusted } from './report-html-escape.js';
import { findingsSection, flaggedSection, manifestSection } from './report-html-findings.js';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from './report-html-page.js';
import { coverageSection, distributionsSection, textSection, totalsSection } from './report-html-sections.js';
import { verdictSection } from './report-html-verdict.js';
import { prosodySection } from './report-html-prosody.js';
import { transcriptsSection } from './report-html-transcripts.js';
import { voicesSection } from './report-html-voices.js';
import type { AuditReport } from './report-schema.js';
import { HTML_FILE } from './run-record.js';

/**
 * report.html: one self-contained page for people (verdict, totals, charts, the worst clips with transcript and a
 * player). `details` adds transcripts and audio of the clips the report names; without them the page shows the
 * findings alone. The page holds no time of day, so two runs of the same audit write the same bytes.
 */
export function renderHtml(r: AuditReport, details: Map<string, ClipDetails> = new Map()): string {
  const scope = r.selection?.note;
  const page = markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>tts-audit report: ${r.source.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header>
<h1>tts-audit report: <span class="data">${r.source.title}</span></h1>
<p class="meta">Source <code class="data">${r.source.root}</code> (${r.source.format}), audited by tts-audit ${r.tool.version}${r.run.state === 'interrupted' ? ' — interrupted: the figures cover the clips done' : ''}.${scope ? markup` ${scope}` : ''}</p>
<nav><a href="#verdict">Verdict</a> <a href="#totals">Totals</a> <a href="#distributions">Distributions</a> <a href="#coverage">Coverage</a> <a href="#text">Text</a> <a href="#voices">Voices</a> <a href="#prosody">Prosody</a> <a href="#transcripts">Transcripts</a> <a href="#findings">Findings</a> <a href="#flagged">Flagged clips</a></nav>
</header>
<main>
${verdictSection(r)}
${totalsSection(r)}
${distributionsSection(r)}
${coverageSection(r)}
${textSection(r)}
${voicesSection(r)}
${prosodySection(r)}
${transcriptsSection(r)}
${findingsSection(r, details)}
${flaggedSection(r, details)}
${manifestSection(r)}
</main>
<footer>Beside this file: <code>report.json</code> (every figure, for machines), <code>report.md</code>, <code>clips.jsonl</code> (one line per clip), <code>curated/</code> (the kept clips, with <code>dropped.jsonl</code> and <code>trims.jsonl</code>) and <code>run.json</code> (when and how the run went).</footer>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}

export interface HtmlArgs {
  out: string;
  report: AuditReport;
  /** The clips log the run wrote (clips.jsonl, or clips.jsonl.part for an interrupted run). */
  clipsPath: string;
  /** The dataset root the run read, for the audio players' paths. */
  root: string;
}

/** Writes report.html into `out` under a working name renamed into place. */
export async function writeHtmlReport({ out, report, clipsPath, root }: HtmlArgs): Promise<void> {
  const details = await clipDetails(report, clipsPath, root, out);
  await writeFileAtomic(join(out, HTML_FILE), renderHtml(report, details));
}
