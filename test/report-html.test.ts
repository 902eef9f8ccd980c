import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, evaluateGate, type AuditReport } from '../src/index.js';
import { readClipDetails, type ClipDetails } from '../src/outputs/report-html-clips.js';
import { renderHtml } from '../src/outputs/report-html.js';
import { launchChromium, watch, type PageLog } from './helpers/browser.js';
import { SAMPLES, tempDir } from './helpers/run.js';

// report.html of the demo set, opened in a real browser (Debian's chromium) with JavaScript on and off.

let out: string;
let report: AuditReport;
let browser: Browser;
let page: Page;
let log: PageLog;
let url: string;

beforeAll(async () => {
  out = tempDir();
  ({ report } = await audit({ source: SAMPLES, out, jobs: 1 }));
  url = pathToFileURL(join(out, 'report.html')).href;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  log = await watch(page);
  await page.goto(url, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
});

// The DOM as the page functions below use it (the project's type-check has no DOM library).
interface Cell {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
}
interface Row {
  hidden: boolean;
  cells: Cell[];
}
interface Audio {
  duration: number;
  currentSrc: string;
  load(): void;
  addEventListener(type: string, listener: () => void): void;
}

/** Ids of the flagged-clips rows the filter leaves visible, in table order. */
const shownIds = () =>
  page.$$eval('#flagged-table tbody tr', (rows) =>
    (rows as unknown as Row[]).filter((r) => !r.hidden).map((r) => r.cells[0]!.textContent),
  );

describe('report.html of data-samples/ljspeech in chromium', () => {
  it('loads with no console error, no failed request and no request outside file://', async () => {
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    expect(log.requests.length).toBeGreaterThan(0);
    for (const r of log.requests) expect(r).toMatch(/^file:\/\//);
    expect(statSync(join(out, 'report.html')).size).toBeLessThan(5 << 20);
  });

  it('opens with the verdict: every gate rule, pass or fail, as `check` evaluates it', async () => {
    const rules = evaluateGate(report, report.config.gate);
    const failed = rules.filter((r) => !r.holds).length;
    expect(failed).toBeGreaterThan(0); // the demo set fails on purpose
    expect(await page.textContent('.verdict')).toContain(`${failed} of ${rules.length} rules fail`);
    expect(await page.locator('ul.rules li').count()).toBe(rules.length);
    expect(await page.locator('ul.rules li.failed').count()).toBe(failed);
    expect(await page.locator('ol.next li').count()).toBeGreaterThanOrEqual(failed);
    const first = await page.$eval('main > section', (s) => s.id);
    expect(first).toBe('verdict');
  });

  it('draws a histogram per distribution and bars per coverage facet, as inline SVG', async () => {
    const distributions = Object.values(report.dataset.distributions ?? {}).filter((d) => d.count > 0);
    expect(distributions.length).toBeGreaterThan(5);
    expect(await page.locator('#distributions figure svg').count()).toBe(distributions.length);
    // a rect per bin between p1 and p99, one per side for the bins wholly outside; an empty chart would have none
    const drawn = (d: (typeof distributions)[number]) => {
      const [e, p1, p99] = [d.histogram.edges, d.percentiles.p1!, d.percentiles.p99!];
      let [inner, below, above] = [0, 0, 0];
      d.histogram.counts.forEach((n, i) => {
        if (e[i + 1]! <= p1) below += n;
        else if (e[i]! > p99) above += n;
        else inner++;
      });
      return inner + (below > 0 ? 1 : 0) + (above > 0 ? 1 : 0);
    };
    const rects = await page.locator('#distributions svg rect').count();
    expect(rects).toBe(distributions.reduce((n, d) => n + drawn(d), 0));
    // the demo set's swapped clip reads 75 chars/s where the rest read 10–15: an outlier bar, not a squeezed chart
    expect(await page.locator('#distributions svg title', { hasText: 'above p99' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#coverage svg').count()).toBeGreaterThanOrEqual(3);
    const box = await page.locator('#distributions svg').first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
  });

  it('lists the worst clips per finding with transcript and a player that loads the clip from beside the dataset', async () => {
    const codes = Object.entries(report.findings).filter(([, f]) => f.worst.length > 0);
    expect(await page.locator('article.finding').count()).toBe(codes.length);
    const lowSnr = page.locator('article.finding', { hasText: 'noise.low_snr' });
    const row = lowSnr.locator('tbody tr').first();
    expect(await row.textContent()).toContain('LJ001-0004_noise5db');
    expect(await row.textContent()).toContain('produced the block books');
    // no player where there is no file
    const missing = page.locator('#flagged-table tbody tr', { hasText: 'LJ001-0009_missing' });
    expect(await missing.locator('audio').count()).toBe(0);
    const players = page.locator('audio[preload="none"]');
    expect(await players.count()).toBeGreaterThan(5);
    const duration = await players.first().evaluate(
      (a: unknown) =>
        new Promise<number>((resolve, reject) => {
          const audio = a as Audio;
          audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
          audio.addEventListener('error', () => reject(new Error(`cannot load ${audio.currentSrc}`)));
          audio.load();
        }),
    );
    expect(duration).toBeGreaterThan(1);
    expect(log.requests.some((r) => r.endsWith('.wav'))).toBe(true);
    for (const r of log.requests) expect(r).toMatch(/^file:\/\//);
  });

  it('filters the flagged clips by finding, severity and text, and sorts them by a column', async () => {
    const all = await shownIds();
    expect(all.length).toBe(await page.locator('#flagged-table tbody tr').count());
    expect(all).toContain('LJ001-0004_noise5db');
    await page.selectOption('#flagged-code', 'audio.missing');
    expect(await shownIds()).toEqual(['LJ001-0009_missing']);
    expect(await page.textContent('#flagged-count')).toBe(`1 of ${all.length} clips`);
    await page.selectOption('#flagged-code', '');
    await page.selectOption('#flagged-sev', 'warning');
    const warnings = await shownIds();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThan(all.length);
    await page.selectOption('#flagged-sev', '');
    await page.fill('#flagged-q', 'block books');
    expect(await shownIds()).toEqual(['LJ001-0004_noise5db']);
    await page.fill('#flagged-q', '');
    expect((await shownIds()).length).toBe(all.length);

    const durations = () =>
      page.$$eval('#flagged-table tbody tr', (rows) =>
        (rows as unknown as Row[])
          .map((r) => r.cells[4]!.dataset.v)
          .filter((v) => v !== undefined)
          .map(Number),
      );
    const header = page.locator('#flagged-table thead th', { hasText: 'duration' }).locator('button');
    await header.click();
    const up = await durations();
    expect(up.length).toBeGreaterThan(3);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await header.click();
    const down = await durations();
    expect(down).toEqual([...up].reverse());
    expect(await page.getAttribute('#flagged-table thead th:nth-child(5)', 'aria-sort')).toBe('descending');
    await page.screenshot({ path: join(out, 'report.png'), fullPage: false });
    expect(statSync(join(out, 'report.png')).size).toBeGreaterThan(10_000);
  });

  it('shows every chart and table with JavaScript off; only the controls need it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const off = await context.newPage();
    const offLog = await watch(off);
    await off.goto(url, { waitUntil: 'load' });
    expect(await off.locator('#distributions svg').count()).toBe(await page.locator('#distributions svg').count());
    expect(await off.locator('#flagged-table tbody tr:visible').count()).toBe(
      await page.locator('#flagged-table tbody tr').count(),
    );
    expect(await off.locator('#flagged-controls').isVisible()).toBe(false);
    expect(await page.locator('#flagged-controls').isVisible()).toBe(true);
    expect(offLog.errors).toEqual([]);
    await context.close();
  });
});

describe('report.html without a browser', () => {
  it('reads back from clips.jsonl exactly the clips it names, whatever the order of keys or a torn last line', async () => {
    const clips = readFileSync(join(out, 'clips.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string });
    const [first, second, ...rest] = clips;
    // a line edited by hand, its id no longer the first key; then the torn line a kill leaves
    const moved = { x: 1, ...second!, id: 'id "quoted" \u202E' };
    const path = join(tempDir(), 'clips.jsonl');
    const lines = [first, moved, ...rest].map((c) => JSON.stringify(c));
    writeFileSync(path, [...lines, '{"id":"torn'].join('\n'));
    const found = await readClipDetails(path, new Set([first!.id, moved.id, rest.at(-1)!.id, 'torn', 'absent']));
    expect([...found.keys()].sort()).toEqual([first!.id, moved.id, rest.at(-1)!.id].sort());
    expect(found.get(moved.id)!.text).toBe(second!.text);
    expect(found.get(first!.id)!.text).toBe(first!.text);
  });

  it('draws percentile bars where a distribution carries no histogram bins', () => {
    const base = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport;
    const binless = Object.fromEntries(
      Object.entries(base.dataset.distributions!).map(([m, d]) => [m, { ...d, histogram: { edges: [], counts: [] } }]),
    );
    const { document } = parseHTML(renderHtml({ ...base, dataset: { ...base.dataset, distributions: binless } }));
    const charts = [...document.querySelectorAll('#distributions figure svg')];
    expect(charts.length).toBe(Object.values(binless).filter((d) => d.count > 0).length);
    for (const svg of charts) {
      expect(svg.getAttribute('aria-label')).toMatch(/^percentiles of /);
      expect(svg.textContent).toContain('p50');
    }
  });

  it('stays under 5 MB for the largest report a corpus of any size can produce', async () => {
    const base = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport;
    // Every list report.json bounds, at its bound: 80 codes × 10 worst clips (the tally's WORST_PER_CODE),
    // 500 groups per coverage facet (maxGroupsListed), 500 manifest problems; transcripts of 5000 characters.
    const long = 'a long transcript of the kind an audiobook chapter gives '.repeat(90);
    const details = new Map<string, ClipDetails>();
    const findings: AuditReport['findings'] = {};
    const sample = Object.values(base.findings)[0]!.worst[0]!;
    for (let c = 0; c < 80; c++) {
      const worst = Array.from({ length: 10 }, (_, i) => ({
        ...sample,
        clipId: `clip-${c}-${i}`,
        message: long.slice(0, 300),
      }));
      findings[`code.${c}`] = { severity: 'error', description: 'x'.repeat(200), clips: 100_000, worst };
      for (const w of worst)
        details.set(w.clipId, {
          text: long,
          speaker: `speaker-${c}`,
          audioPath: `wavs/${w.clipId}.wav`,
          metrics: { 'signal.duration_sec': 12.3, 'noise.snr_db': 30, 'loudness.integrated_lufs': -20 },
          findings: [{ code: `code.${c}`, severity: 'error' }],
          audioHref: `../data/wavs/${w.clipId}.wav`,
        });
    }
    const groups = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`speaker-${i}`, { clips: 2000, hours: 2.5 }]),
    );
    const cov = base.dataset.coverage!;
    const big: AuditReport = {
      ...base,
      findings,
      sourceFindings: Array.from({ length: 500 }, () => ({ ...sample, message: long.slice(0, 300) })),
      dataset: {
        ...base.dataset,
        coverage: { ...cov, speaker: { ...cov.speaker, groups, unlisted: 9500 } },
      },
    };
    const started = performance.now();
    const page = renderHtml(big, details);
    const ms = performance.now() - started;
    const bytes = Buffer.byteLength(page);
    console.log(`largest report.html: ${(bytes / 1e6).toFixed(2)} MB, rendered in ${ms.toFixed(0)} ms`);
    expect(bytes).toBeLessThan(5 << 20);
    expect(page).toContain('clip-79-9');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
