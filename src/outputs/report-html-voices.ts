import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { markup, trusted, truncate, visible, type Html } from './report-html-escape.js';
import type { AuditReport } from './report-schema.js';

// The voices section of report.html: each speaker's F0 range (median of its clips' 5th–95th percentiles, with
// the median marked) drawn as inline SVG, so a voice off its label or two voices under one id stand out, and
// the speakers with suspicious clips listed with the reasons. Drawn like report-html-charts.ts: Plot against a
// linkedom document, dataset labels spelled out by `visible` before they reach the SVG.

const RANGE = '#4269d0';
const FLAGGED = '#d03c3c';
const SHOWN = 40;

type PlotDocument = NonNullable<Plot.PlotOptions['document']>;

function rangeChart(rows: { label: string; low: number; median: number; high: number; flagged: boolean }[]): Html {
  const document = parseHTML('<!DOCTYPE html><html><body></body></html>').document as unknown as PlotDocument;
  const longest = Math.max(4, ...rows.map((r) => r.label.length));
  const node = Plot.plot({
    document,
    width: 560,
    height: 50 + rows.length * 18,
    marginLeft: Math.min(190, 12 + longest * 6),
    // One fixed scale from 50 to 500 Hz, so ranges compare across speakers and reports.
    x: {
      label: 'F0 (Hz), log scale',
      type: 'log',
      domain: [50, 500],
      ticks: [60, 80, 100, 150, 200, 300, 400],
      grid: true,
      clamp: true,
    },
    y: { label: null, domain: rows.map((r) => r.label) },
    color: { domain: [false, true], range: [RANGE, FLAGGED] },
    marks: [
      Plot.ruleY(rows, { y: 'label', x1: 'low', x2: 'high', stroke: 'flagged', strokeWidth: 3 }),
      Plot.dot(rows, { y: 'label', x: 'median', fill: '#1b1e23', r: 3 }),
    ],
    ariaLabel: 'F0 range per speaker',
    style: { background: 'none' },
  });
  node.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  node.setAttribute('role', 'img');
  return trusted(node.outerHTML);
}

export function voicesSection(r: AuditReport): Html {
  const v = r.dataset.voices;
  if (!v || v.clipsWithPitch === 0) return markup``;
  const speakers = Object.entries(v.perSpeaker).sort(
    (a, b) => b[1].flaggedClips - a[1].flaggedClips || b[1].clips - a[1].clips,
  );
  const seen = new Map<string, number>();
  const rows = speakers
    .slice(0, SHOWN)
    .filter(([, p]) => p.lowHz > 0 && p.highHz > 0)
    .map(([s, p]) => {
      let label = truncate(visible(`${s}${p.gender ? ` (${p.gender})` : ''}`), 28);
      const n = (seen.get(label) ?? 0) + 1;
      seen.set(label, n);
      if (n > 1) label = `${label} (${n})`;
      return { label, low: p.lowHz, median: p.medianHz, high: p.highHz, flagged: p.flaggedClips > 0 };
    });
  const suspicious = speakers.filter(([, p]) => p.flaggedClips > 0);
  const small = speakers.filter(([, p]) => p.comparison === 'too few clips').map(([s]) => s);
  return markup`<section id="voices">
<h2>Voices</h2>
<dl class="figures">
<dt>clips with a pitch</dt><dd>${v.clipsWithPitch}</dd>
<dt>hours with a voice finding</dt><dd>${v.hoursAffected.toFixed(3)} h (${(100 * v.shareOfHoursAffected).toFixed(1)} %)</dd>
<dt>speakers whose clips were compared</dt><dd>${v.speakersScored} (from 8 clips against the speaker's centre, from 5 each against the speaker's others)</dd>
<dt>too few clips to compare (under 5)</dt><dd class="data">${small.length === 0 ? 'none' : `${small.slice(0, SHOWN).join(', ')}${small.length > SHOWN ? ` and ${small.length - SHOWN} more` : ''}`}</dd>
</dl>
<figure class="chart wide"><figcaption><strong>F0 range per speaker</strong> (5th–95th percentile, dot at the median; red: the speaker has flagged clips${speakers.length > SHOWN ? `; the first ${SHOWN} of ${speakers.length} speakers` : ''})</figcaption>
${rows.length > 0 ? rangeChart(rows) : ''}</figure>
${
  suspicious.length > 0
    ? markup`<table><thead><tr><th>speaker</th><th>clips</th><th>flagged</th><th>why</th></tr></thead><tbody>
${suspicious.slice(0, 50).map(([s, p]) => markup`<tr><td class="data">${s}</td><td>${p.clips}</td><td>${p.flaggedClips}</td><td class="data">${p.issues.join('; ')}</td></tr>\n`)}</tbody></table>`
    : markup`<p>No speaker has a clip with a voice finding.</p>`
}
</section>`;
}
