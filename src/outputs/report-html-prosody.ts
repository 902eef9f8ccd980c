import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { markup, trusted, truncate, visible, type Html } from './report-html-escape.js';
import type { AuditReport } from './report-schema.js';

// The prosody section of report.html: the coverage verdicts in words, how clips end by sentence type (do the
// questions rise?) as stacked bars, and each speaker's median F0 spread with its expressiveness, drawn as inline
// SVG with Plot against a linkedom document as report-html-voices.ts does; dataset labels go through `visible`.

const CONTOUR_COLOURS = { rise: '#4269d0', flat: '#9aa0a6', fall: '#d03c3c' };
const TYPES = ['question', 'statement', 'exclamation', 'other'] as const;
const SHOWN = 40;

type PlotDocument = NonNullable<Plot.PlotOptions['document']>;
type Summary = NonNullable<AuditReport['dataset']['prosodyCoverage']>;

function svg(node: ReturnType<typeof Plot.plot>): Html {
  node.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  node.setAttribute('role', 'img');
  return trusted(node.outerHTML);
}

const newDocument = () => parseHTML('<!DOCTYPE html><html><body></body></html>').document as unknown as PlotDocument;

function contourChart(s: Summary): Html | undefined {
  const rows = TYPES.flatMap((type) => {
    const c = s.contoursBySentence[type];
    const n = c ? c.rise + c.fall + c.flat : 0;
    if (!c || n === 0) return [];
    return (['rise', 'flat', 'fall'] as const).map((contour) => ({
      type: `${type} (${n})`,
      contour,
      share: c[contour] / n,
    }));
  });
  if (rows.length === 0) return undefined;
  return svg(
    Plot.plot({
      document: newDocument(),
      width: 560,
      height: 40 + (rows.length / 3) * 28,
      marginLeft: 120,
      x: { label: 'share of clips with a measured ending (%)', domain: [0, 100], percent: true, grid: true },
      y: { label: null, domain: [...new Set(rows.map((r) => r.type))] },
      color: { domain: Object.keys(CONTOUR_COLOURS), range: Object.values(CONTOUR_COLOURS), legend: false },
      marks: [
        Plot.barX(rows, Plot.stackX({ y: 'type', x: 'share', fill: 'contour', order: ['rise', 'flat', 'fall'] })),
      ],
      ariaLabel: 'final contours by sentence type',
      style: { background: 'none' },
    }),
  );
}

function spreadChart(rows: { label: string; spread: number }[], narrow: number): Html {
  const longest = Math.max(4, ...rows.map((r) => r.label.length));
  return svg(
    Plot.plot({
      document: newDocument(),
      width: 560,
      height: 50 + rows.length * 18,
      marginLeft: Math.min(190, 12 + longest * 6),
      // One fixed scale, so spreads compare across reports; the rule marks the report's "narrow" limit.
      x: { label: 'median F0 spread (semitones)', domain: [0, 8], grid: true, clamp: true },
      y: { label: null, domain: rows.map((r) => r.label) },
      marks: [
        Plot.barX(rows, { y: 'label', x: 'spread', fill: '#4269d0' }),
        Plot.ruleX([narrow], { stroke: '#d03c3c', strokeDasharray: '4 3' }),
      ],
      ariaLabel: 'median F0 spread per speaker',
      style: { background: 'none' },
    }),
  );
}

const fmt = (x: number | null, digits: number) => (x === null ? '–' : x.toFixed(digits));

export function prosodySection(r: AuditReport): Html {
  const s = r.dataset.prosodyCoverage;
  if (!s || s.clips === 0) return markup``;
  const speakers = Object.entries(s.perSpeaker).sort((a, b) => b[1].clips - a[1].clips);
  const seen = new Map<string, number>();
  const rows = speakers
    .slice(0, SHOWN)
    .filter(([, p]) => p.f0SpreadSt !== null)
    .map(([name, p]) => {
      let label = truncate(visible(`${name}${p.gender ? ` (${p.gender})` : ''}`), 28);
      const n = (seen.get(label) ?? 0) + 1;
      seen.set(label, n);
      if (n > 1) label = `${label} (${n})`;
      return { label, spread: p.f0SpreadSt! };
    });
  const contours = contourChart(s);
  return markup`<section id="prosody">
<h2>Prosody</h2>
<ul>
${s.verdicts.map((v) => markup`<li>${v}</li>\n`)}</ul>
<figure class="chart wide"><figcaption><strong>How clips end, by sentence type</strong> (final pitch movement: blue rise, grey flat, red fall)</figcaption>
${contours ?? markup`<p>No clip has a measured ending.</p>`}</figure>
<figure class="chart wide"><figcaption><strong>F0 spread per speaker</strong> (median over the speaker's clips; dashed: ${s.narrowSpreadSt} semitones, narrow below${speakers.length > SHOWN ? `; the ${SHOWN} speakers with most clips of ${speakers.length}` : ''})</figcaption>
${rows.length > 0 ? spreadChart(rows, s.narrowSpreadSt) : ''}</figure>
<table><thead><tr><th>speaker</th><th>clips</th><th>F0 spread (st)</th><th>loudness spread (dB)</th><th>syllables/s</th><th>pace variation</th><th>questions rising</th><th>statements falling</th><th>monotone clips</th><th>expressiveness</th></tr></thead><tbody>
${speakers.slice(0, 50).map(([name, p]) => markup`<tr><td class="data">${name}</td><td>${p.clips}</td><td>${fmt(p.f0SpreadSt, 2)}</td><td>${fmt(p.energySpreadDb, 1)}</td><td>${fmt(p.syllableRate, 2)}</td><td>${fmt(p.paceSpread, 2)}</td><td>${p.questionsRising} / ${p.questions}</td><td>${p.statementsFalling} / ${p.statements}</td><td>${p.monotoneClips}</td><td>${fmt(p.expressiveness, 0)}</td></tr>\n`)}</tbody></table>
<p class="meta">Expressiveness (0–100) is the mean of pitch movement (median F0 spread over <code>fullSpreadSt</code>, capped at 1) and contour variety (how evenly the speaker's clips end rising, flat and falling).</p>
</section>`;
}
