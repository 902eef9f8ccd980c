import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Distribution } from '../analyzers/dataset/distributions.js';
import { Html, trusted, truncate, visible } from './report-html-escape.js';

// Charts are drawn once, when the report is written, as inline SVG: the page needs no script to show them and
// loads nothing. Plot builds the SVG against linkedom's document, which serialises text and attribute values
// escaped; labels from the dataset are also passed through `visible` first, so a bidi override in a speaker name
// cannot reorder an axis.

const BAR = '#4269d0';
const MEDIAN = '#1b1e23';
const THRESHOLD = '#d03c3c';

type PlotDocument = NonNullable<Plot.PlotOptions['document']>;
let doc: PlotDocument | undefined;
const plotDocument = (): PlotDocument =>
  (doc ??= parseHTML('<!DOCTYPE html><html><body></body></html>').document as unknown as PlotDocument);

function svgOf(options: Plot.PlotOptions, label: string): Html {
  const node = Plot.plot({ ...options, document: plotDocument(), ariaLabel: label, style: { background: 'none' } });
  // Without the namespace declared the SVG would not render if the figure were saved on its own.
  node.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  node.setAttribute('role', 'img');
  return trusted(node.outerHTML);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

export interface MetricChart {
  /** The axis label, with its unit. */
  label: string;
  /** A threshold the findings measure this metric against, drawn as a dashed line. */
  threshold?: number;
}

interface Bin {
  x1: number;
  x2: number;
  n: number;
}

export interface ClippedBins {
  /** The bins that hold values between p1 and p99, as the report has them. */
  inner: Bin[];
  /** Clips in bins wholly below p1 / above p99: the outliers, one count each. */
  below: number;
  above: number;
}

/**
 * The report's bins span min to max, so one far outlier squeezes the rest of the set into a bin or two. Bins
 * wholly outside p1–p99 are folded into one count a side, drawn as labelled edge bars, and the axis spans what is
 * left. (A bin straddling p1 or p99 stays whole: its counts cannot be split after the fact.)
 */
export function clipBins(d: Distribution): ClippedBins {
  const { edges, counts } = d.histogram;
  const bins = counts.map((n, i) => {
    const [x1, x2] = [edges[i]!, edges[i + 1]!];
    return x1 === x2 ? { x1: x1 - 0.5, x2: x2 + 0.5, n } : { x1, x2, n };
  });
  const p1 = d.percentiles.p1 ?? -Infinity;
  const p99 = d.percentiles.p99 ?? Infinity;
  // bins are [x1, x2): one ending at or before p1 holds only values under it
  const isBelow = (b: Bin) => b.x2 <= p1;
  const isAbove = (b: Bin) => b.x1 > p99;
  const inner = bins.filter((b) => !isBelow(b) && !isAbove(b));
  if (inner.length === 0) return { inner: bins, below: 0, above: 0 };
  const sum = (xs: Bin[]) => xs.reduce((a, b) => a + b.n, 0);
  return { inner, below: sum(bins.filter(isBelow)), above: sum(bins.filter(isAbove)) };
}

const OUTLIER = '#9aa0a6';

/** A histogram of one metric from the report's bins (p1–p99, outliers in edge bars), median and threshold marked. */
export function histogramChart(d: Distribution, chart: MetricChart): Html {
  const { edges, counts } = d.histogram;
  if (counts.length === 0 || edges.length !== counts.length + 1) return percentileChart(d, chart);
  const { inner, below, above } = clipBins(d);
  const [lo, hi] = [inner[0]!.x1, inner.at(-1)!.x2];
  // an edge bar is as wide as an inner bin and set a little apart: its place on the axis is not its values'
  const w = (hi - lo) / inner.length;
  const edgeBars = [
    ...(below > 0 ? [{ x1: lo - 1.25 * w, x2: lo - 0.25 * w, n: below, label: `< ${fmt(lo)}`, side: 'below p1' }] : []),
    ...(above > 0
      ? [{ x1: hi + 0.25 * w, x2: hi + 1.25 * w, n: above, label: `> ${fmt(hi)}`, side: 'above p99' }]
      : []),
  ];
  const median = d.percentiles.p50;
  const marks: Plot.Markish[] = [
    Plot.rectY(inner, {
      x1: 'x1',
      x2: 'x2',
      y: 'n',
      fill: BAR,
      insetLeft: 0.5,
      insetRight: 0.5,
      title: (b: Bin) => `${fmt(b.x1)} – ${fmt(b.x2)}: ${b.n} clips`,
    }),
    Plot.rectY(edgeBars, {
      x1: 'x1',
      x2: 'x2',
      y: 'n',
      fill: OUTLIER,
      title: (b: (typeof edgeBars)[number]) => `${b.n} clips ${b.label} (${b.side}), outliers not drawn to scale`,
    }),
    Plot.text(edgeBars, {
      x: (b: (typeof edgeBars)[number]) => (b.x1 + b.x2) / 2,
      y: 'n',
      text: 'label',
      dy: -6,
      fontSize: 9,
    }),
    Plot.ruleY([0]),
  ];
  if (median !== null && median !== undefined) marks.push(Plot.ruleX([median], { stroke: MEDIAN, strokeWidth: 1.5 }));
  if (chart.threshold !== undefined)
    marks.push(Plot.ruleX([chart.threshold], { stroke: THRESHOLD, strokeDasharray: '4,3', strokeWidth: 1.5 }));
  const domain = [
    Math.min(edgeBars[0]?.x1 ?? lo, lo, chart.threshold ?? Infinity),
    Math.max(edgeBars.at(-1)?.x2 ?? hi, hi, chart.threshold ?? -Infinity),
  ];
  return svgOf(
    {
      width: 340,
      height: 170,
      marginLeft: 44,
      x: { label: chart.label, domain, nice: false },
      y: { label: 'clips', grid: true },
      marks,
    },
    `histogram of ${chart.label}`,
  );
}

const PERCENTILES = ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'] as const;

/** Where the percentiles lie, for a metric whose histogram is missing: a box p25–p75, whiskers p5–p95, ticks. */
export function percentileChart(d: Distribution, chart: MetricChart): Html {
  const p = (k: (typeof PERCENTILES)[number]) => d.percentiles[k] ?? undefined;
  const ticks = PERCENTILES.flatMap((k) => (p(k) === undefined ? [] : [{ k, v: p(k)! }]));
  if (ticks.length === 0) return trusted('');
  const marks: Plot.Markish[] = [
    Plot.tickX(ticks, { x: 'v', stroke: BAR, title: (t: { k: string; v: number }) => `${t.k} ${fmt(t.v)}` }),
  ];
  const [p5, p25, p50, p75, p95] = [p('p5'), p('p25'), p('p50'), p('p75'), p('p95')];
  if (p5 !== undefined && p95 !== undefined) marks.push(Plot.ruleY([0], { x1: p5, x2: p95, stroke: BAR }));
  if (p25 !== undefined && p75 !== undefined)
    marks.push(Plot.barX([0], { x1: p25, x2: p75, fill: BAR, fillOpacity: 0.3 }));
  if (p50 !== undefined) marks.push(Plot.tickX([p50], { stroke: MEDIAN, strokeWidth: 2 }));
  // p1 and p99, p25 and p75 often sit on top of their neighbours: only the three a reader looks for are named.
  const named = ticks.filter((t) => t.k === 'p5' || t.k === 'p50' || t.k === 'p95');
  marks.push(Plot.text(named, { x: 'v', text: 'k', dy: -22, fontSize: 9 }));
  if (chart.threshold !== undefined)
    marks.push(Plot.ruleX([chart.threshold], { stroke: THRESHOLD, strokeDasharray: '4,3' }));
  return svgOf(
    { width: 340, height: 90, marginTop: 30, x: { label: chart.label }, y: { axis: null }, marks },
    `percentiles of ${chart.label}`,
  );
}

export interface Bar {
  /** From the dataset (a speaker, an accent): shown as text, spelled out, cut to 28 code points. */
  label: string;
  value: number;
  /** Shown on hover. */
  title: string;
}

/** Horizontal bars, largest first as given; labels made unique after cutting so two bars never merge. */
export function barChart(bars: Bar[], xLabel: string, what: string): Html {
  const seen = new Map<string, number>();
  const rows = bars.map((b) => {
    let label = truncate(visible(b.label), 28);
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    if (n > 1) label = `${label} (${n})`;
    return { label, value: b.value, title: visible(b.title) };
  });
  const longest = Math.max(4, ...rows.map((r) => r.label.length));
  return svgOf(
    {
      width: 520,
      height: 50 + rows.length * 20,
      marginLeft: Math.min(190, 12 + longest * 6),
      x: { label: xLabel, grid: true },
      y: { label: null, domain: rows.map((r) => r.label) },
      marks: [Plot.barX(rows, { y: 'label', x: 'value', fill: BAR, title: 'title' }), Plot.ruleX([0])],
    },
    what,
  );
}
