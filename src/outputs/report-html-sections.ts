import { barChart, histogramChart } from './report-html-charts.js';
import { markup, truncate, type Html } from './report-html-escape.js';
import { counted } from '../util/plural.js';
import type { AuditReport } from './report-schema.js';

// The middle of report.html: totals, distributions, coverage and text. Every figure comes from report.json;
// nothing here reads the dataset.

export const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
const share = (x: number) => `${num(x * 100, 0)} %`;
const list = <T>(items: T[], item: (x: T) => Html) => items.map((x, i) => markup`${i > 0 ? ', ' : ''}${item(x)}`);

export function totalsSection(r: AuditReport): Html {
  const s = r.summary;
  const row = (label: string, clips: number, hours?: number) =>
    markup`<tr><th scope="row">${label}</th><td>${clips}</td><td>${hours === undefined ? '' : num(hours, 3)}</td></tr>\n`;
  return markup`<section id="totals">
<h2>Totals</h2>
<table class="totals"><thead><tr><th></th><th>clips</th><th>hours</th></tr></thead><tbody>
${row('listed', s.listed)}${row('analysed', s.analysed, s.hoursAnalysed)}${row('kept', s.kept, s.hoursKept)}${row('… of which to trim or filter', s.trimmed)}${row('dropped (any error)', s.dropped)}${row('unreadable audio', s.unreadable)}${row('malformed manifest lines', s.malformedLines)}</tbody></table>
<p>Findings: ${s.findingsBySeverity.error} errors, ${s.findingsBySeverity.warning} warnings, ${s.findingsBySeverity.info} info.</p>
</section>`;
}

/** Axis labels of the metrics a reader knows by name, in the order they are drawn; others follow by name. */
const METRIC_LABELS: Record<string, string> = {
  'signal.duration_sec': 'duration (s)',
  'noise.snr_db': 'SNR (dB)',
  'loudness.integrated_lufs': 'loudness (LUFS)',
  'rate.chars_per_sec': 'speaking rate (characters/s)',
  'phonemes.per_sec': 'speaking rate (phonemes/s)',
  'silence.leading_sec': 'leading silence (s)',
  'silence.trailing_sec': 'trailing silence (s)',
  'silence.longest_pause_sec': 'longest pause (s)',
  'signal.peak_dbfs': 'peak (dBFS)',
  'signal.rms_dbfs': 'RMS level (dBFS)',
  'noise.wada_snr_db': 'WADA SNR (dB)',
  'noise.vad_snr_db': 'VAD SNR (dB)',
  'noise.floor_dbfs': 'noise floor (dBFS)',
  'bandwidth.effective_hz': 'effective bandwidth (Hz)',
  'alignment.score': 'transcript alignment score',
  'text.chars': 'transcript length (characters)',
};
const ORDER = Object.keys(METRIC_LABELS);
const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);

/** The threshold each metric is judged against, as the findings on it report it. */
function thresholds(r: AuditReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of Object.values(r.findings))
    for (const w of f.worst)
      if (w.metric !== undefined && w.threshold !== undefined && !out.has(w.metric)) out.set(w.metric, w.threshold);
  return out;
}

const PCT = ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'] as const;

export function distributionsSection(r: AuditReport): Html {
  const dist = Object.entries(r.dataset.distributions ?? {}).filter(([, d]) => d.count > 0);
  if (dist.length === 0) return markup``;
  dist.sort((a, b) => rank(a[0]) - rank(b[0]));
  const limits = thresholds(r);
  const figure = ([m, d]: (typeof dist)[number]) => {
    const label = METRIC_LABELS[m] ?? m;
    const threshold = limits.get(m);
    const chart = histogramChart(d, { label, ...(threshold !== undefined ? { threshold } : {}) });
    const limit = threshold !== undefined ? markup`; <span class="threshold">threshold ${num(threshold)}</span>` : '';
    return markup`<figure class="chart">${chart}
<figcaption><code>${m}</code>: median ${num(d.percentiles.p50)}, p5–p95 ${num(d.percentiles.p5)} – ${num(d.percentiles.p95)}, n = ${d.count}${limit}</figcaption></figure>\n`;
  };
  const row = ([m, d]: (typeof dist)[number]) =>
    markup`<tr><th scope="row"><code>${m}</code></th><td>${d.count}</td>${PCT.map((p) => markup`<td>${num(d.percentiles[p])}</td>`)}<td>${num(d.min)}</td><td>${num(d.max)}</td></tr>\n`;
  return markup`<section id="distributions">
<h2>Distributions</h2>
<p class="legend">Clips per bin (where a metric has no bins, its percentiles: box p25–p75, line p5–p95); the black line is the median, the dashed red line the threshold a finding uses.</p>
<div class="charts">
${dist.map(figure)}</div>
<details><summary>Percentiles as a table</summary>
<table><thead><tr><th>metric</th><th>n</th>${PCT.map((p) => markup`<th>${p}</th>`)}<th>min</th><th>max</th></tr></thead><tbody>
${dist.map(row)}</tbody></table>
</details>
</section>`;
}

const FACETS = ['speaker', 'gender', 'accent', 'language', 'split'] as const;
const MAX_BARS = 30;
const MAX_BELOW = 50;

export function coverageSection(r: AuditReport): Html {
  const cov = r.dataset.coverage;
  if (!cov) return markup``;
  const charts = FACETS.flatMap((facet) => {
    const { groups, balance, unlisted } = cov[facet];
    const entries = Object.entries(groups).sort((a, b) => b[1].hours - a[1].hours);
    if (entries.length === 0) return [];
    const bars = entries.slice(0, MAX_BARS).map(([name, g]) => ({
      label: name,
      value: g.hours,
      title: `${name}: ${num(g.hours, 3)} h, ${g.clips} clips`,
    }));
    const more = entries.length - bars.length + unlisted;
    return [
      markup`<figure class="chart wide"><figcaption><strong>Hours per ${facet}</strong>: ${counted(balance.groups, 'group')}; normalized entropy ${num(balance.normalizedEntropy)}, Gini ${num(balance.gini)}, largest/smallest ${num(balance.maxMinRatio, 1)}${more > 0 ? `; ${more} more not drawn` : ''}.</figcaption>
${barChart(bars, 'hours', `hours per ${facet}`)}</figure>\n`,
    ];
  });
  const below = cov.speakersBelowMinimum;
  const belowText =
    below.length === 0
      ? ''
      : markup`<p>${counted(below.length, 'speaker')} below ${r.config.analyzers.coverage.minMinutesPerSpeaker} minutes: ${list(below.slice(0, MAX_BELOW), (s) => markup`<span class="data">${s.speaker}</span> (${num(s.minutes, 1)} min)`)}${below.length > MAX_BELOW ? ', …' : ''}.</p>\n`;
  return markup`<section id="coverage">
<h2>Coverage</h2>
${charts}${belowText}</section>`;
}

const SENTENCE_TYPES = ['statement', 'question', 'exclamation', 'other'] as const;

type TextDiversity = NonNullable<AuditReport['dataset']['textDiversity']>;

function textTables(td: TextDiversity): Html {
  const kinds = [
    ['digits', td.unnormalized.digits],
    ['symbols', td.unnormalized.symbols],
    ['abbreviations', td.unnormalized.abbreviations],
  ] as const;
  const unnormalized = markup`<table><thead><tr><th>unnormalized tokens</th><th>tokens</th><th>clips</th><th>most frequent</th></tr></thead><tbody>
${kinds.map(([name, k]) => markup`<tr><th scope="row">${name}</th><td>${k.tokens}</td><td>${k.clips}</td><td class="data">${list(k.examples.slice(0, 5), (e) => markup`${truncate(e.token, 24)} ×${e.count}`)}</td></tr>\n`)}</tbody></table>\n`;
  const odd = Object.entries(td.outOfAlphabet).slice(0, 10);
  const char = (c: { char: string; code: string; count: number }) =>
    markup`${/^[\p{C}\s]$/u.test(c.char) ? '' : markup`“${c.char}” `}${c.code} ×${c.count}`;
  const alphabet =
    odd.length === 0
      ? ''
      : markup`<table><thead><tr><th>language</th><th>clips with characters outside its alphabet</th><th>most frequent</th></tr></thead><tbody>
${odd.map(([lang, o]) => markup`<tr><th scope="row">${lang}</th><td>${o.clips}</td><td class="data">${list(o.characters.slice(0, 8), char)}${o.distinct > 8 ? ', …' : ''}</td></tr>\n`)}</tbody></table>\n`;
  const sp = td.speakers;
  const speaker = (s: TextDiversity['speakers']['top'][number]) =>
    markup`<tr><th scope="row" class="data">${s.speaker}</th><td>${s.clips}</td><td>${s.vocabulary}</td><td>${num(s.typeTokenRatio, 3)}</td><td>${SENTENCE_TYPES.map((t) => num(s.sentenceTypes[t] * 100, 0)).join(' / ')} %</td><td>${s.duplicates}</td><td>${s.nearDuplicates}</td></tr>\n`;
  const more = sp.speakers === null || sp.speakers > sp.top.length;
  const speakers =
    sp.top.length === 0
      ? ''
      : markup`<table><thead><tr><th>speaker</th><th>clips</th><th>vocabulary</th><th>TTR</th><th>statement / question / exclamation / other</th><th>duplicates</th><th>near-duplicates</th></tr></thead><tbody>
${sp.top.map(speaker)}</tbody></table>
${more ? markup`<p>… ${sp.speakers === null ? '' : sp.speakers - sp.top.length} more speakers.</p>\n` : ''}`;
  return markup`${unnormalized}${alphabet}${speakers}`;
}

export function textSection(r: AuditReport): Html {
  const td = r.dataset.textDiversity;
  if (!td) return markup``;
  const st = td.sentenceTypes;
  const nd = td.nearDuplicates;
  const types = SENTENCE_TYPES.map((t) => ({
    label: t,
    value: st.shares[t] * 100,
    title: `${t}: ${st.counts[t]} clips`,
  }));
  return markup`<section id="text">
<h2>Text diversity</h2>
<dl class="figures">
<dt>words</dt><dd>${td.tokens}</dd><dt>vocabulary</dt><dd>${td.vocabulary}</dd>
<dt>type–token ratio</dt><dd>${num(td.typeTokenRatio, 3)}</dd><dt>MATTR</dt><dd>${num(td.mattr, 3)}</dd>
<dt>duplicate transcripts</dt><dd>${td.duplicateTranscripts}</dd>
<dt>near-duplicates (similarity ≥ ${nd.threshold})</dt><dd>${td.nearDuplicateTranscripts}${nd.indexFull ? ` (only the first ${nd.indexedClips} clips compared)` : ''}</dd>
${td.letterCoverage !== null ? markup`<dt>letters a–z covered</dt><dd>${share(td.letterCoverage)}</dd>\n` : ''}</dl>
<figure class="chart wide"><figcaption><strong>Sentence types</strong> (share of clips)</figcaption>
${barChart(types, '% of clips', 'sentence types')}</figure>
${textTables(td)}</section>`;
}
