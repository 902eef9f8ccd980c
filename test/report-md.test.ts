import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  audit,
  check,
  evaluateGate,
  findingCatalog,
  renderDatacard,
  renderHtml,
  renderMarkdown,
  type AuditReport,
} from '../src/index.js';
import { MAX_MARKDOWN_LINES } from '../src/outputs/report-md.js';
import { REAL, SAMPLES, tempDir } from './helpers/run.js';

// report.md is read in reviews: the verdict first, then what to do, then tables that stay short at any size, and
// none of the lines issue #12 found readers stumbling on. Each is checked on a real audit of the demo set.

let out: string;
let report: AuditReport;
let md: string;

beforeAll(async () => {
  out = tempDir();
  report = (await audit({ source: SAMPLES, out })).report;
  md = readFileSync(join(out, 'report.md'), 'utf8');
});

/** The GFM tables of a Markdown text, as rows of cell texts (header first), the way GitHub parses them. */
function tables(text: string): string[][][] {
  const { document } = parseHTML(
    `<html><body>${micromark(text, { extensions: [gfm()], htmlExtensions: [gfmHtml()] })}</body></html>`,
  );
  return [...document.querySelectorAll('table')].map((t) =>
    [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
  );
}

const tableWith = (text: string, firstHeader: string) => tables(text).find((t) => t[0]![0] === firstHeader);

describe('report.md of the demo audit', () => {
  it('opens with the verdict of the gate check applies, rule by rule, then what to do next', async () => {
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 3)).toEqual(['## Verdict', '## What to do next', '## Totals']);
    const verdict = await check(out);
    expect(verdict.passed).toBe(false);
    const failed = verdict.rules.filter((r) => !r.holds).length;
    expect(md).toContain(`Fails the gate: ${failed} of ${verdict.rules.length} rules fail.`);
    const rows = tables(md)[0]!.slice(1);
    expect(rows.map((r) => [r[0], r[1]])).toEqual(
      evaluateGate(report, report.config.gate).map((r) => [r.holds ? '✓ pass' : '✗ FAIL', r.rule]),
    );
    const next = md.slice(md.indexOf('## What to do next'), md.indexOf('## Totals'));
    expect(next).toMatch(/curated\//);
    expect(next).toMatch(/curated\/trims\.jsonl/);
    expect(next).toMatch(/tts-audit check/);
  });

  it('gives the same steps as report.html, in the same order', async () => {
    const textOf = (html: string) =>
      [...parseHTML(`<html><body>${html}</body></html>`).document.querySelectorAll('ol li')].map((li) =>
        (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
      );
    const fromMd = textOf(micromark(md.slice(md.indexOf('## What to do next'), md.indexOf('## Totals'))));
    const html = await renderHtml(report);
    const fromHtml = textOf(
      html.slice(html.indexOf('<ol class="next">'), html.indexOf('</ol>', html.indexOf('<ol class="next">')) + 5),
    );
    expect(fromMd.length).toBeGreaterThanOrEqual(3);
    expect(fromHtml).toEqual(fromMd);
  });

  it('counts in words that agree with their number', () => {
    // "token(s)" is an analyzer's message, quoted; the report's own words never hedge a count
    expect(md).not.toMatch(/(group|speaker|error|line)\(s\)/);
    expect(md).not.toMatch(/(^|[^\d.,])1 (errors|warnings|groups|speakers|clips|rules|lines|findings)\b/m);
    expect(md).toContain('1 speaker with analysed audio');
    expect(md).toContain('1 malformed manifest line |');
    expect(md).toMatch(/\| 1 speaker \| one speaker: nothing to balance \|/);
  });

  it('lists manifest problems without repeating the location or leaving unlabelled columns', () => {
    const t = tableWith(md.slice(md.indexOf('## Manifest problems')), 'where')!;
    expect(t[0]).toEqual(['where', 'code', 'problem']);
    expect(t[1]![0]).toBe('metadata.csv:15');
    expect(t[1]![2]).toMatch(/^expected `id\|text\|normalized text`/);
    for (const row of t) for (const c of row) expect(c.trim()).not.toBe('');
  });

  it('names what "other" sentences are, and which letters never occur', () => {
    const t = tableWith(md, 'sentence type')!;
    expect(t.map((r) => r[0])).not.toContain('other');
    expect(t.at(-1)![0]).toBe('no closing mark (a comma, a dash or nothing)');
    // the letters, found here from the transcripts the model trains on (normalized column of metadata.csv)
    const text = readFileSync(join(SAMPLES, 'metadata.csv'), 'utf8')
      .split('\n')
      .map((l) => l.split('|')[2] ?? '')
      .join(' ')
      .toLowerCase();
    const missing = [...'abcdefghijklmnopqrstuvwxyz'].filter((l) => !text.includes(l));
    expect(missing.length).toBeGreaterThan(0);
    expect(md).toContain(`${26 - missing.length} of the 26 letters a–z occur; never: ${missing.join(', ')}.`);
  });

  it('shows an estimator at its ceiling as a cap, not as a figure', () => {
    expect(report.dataset.distributions!['noise.wada_snr_db']!.max).toBe(100);
    const row = tableWith(md, 'metric')!.find((r) => r[0] === 'noise.wada_snr_db')!;
    expect(row.at(-1)).toBe('≥ 100 (cap)');
    expect(md).not.toMatch(/\b100\.00\b/);
  });

  it('says unranked findings are in manifest order, not "worst"', () => {
    expect(report.findings['text.duplicate']!.clips).toBe(5);
    expect(md).toContain('### `text.duplicate` — first 3 of 5, in manifest order (not ranked)');
    expect(md).not.toMatch(/`text\.duplicate` — worst/);
    expect(md).toContain('### `noise.low_snr` — worst 1 of 1');
  });

  it('quotes the transcript of each worst clip, from report.json, which carries it with the path', () => {
    const w = report.findings['rate.too_fast']!.worst[0]!;
    const line = readFileSync(join(SAMPLES, 'metadata.csv'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${w.clipId}|`))!;
    expect(w.transcript).toBe(line.split('|')[1]);
    expect(w.audioPath).toBe(`wavs/${w.clipId}.wav`);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport;
    expect(json.findings['rate.too_fast']!.worst[0]!.transcript).toBe(w.transcript);
    const row = tables(md)
      .flatMap((t) => t)
      .find((r) => r[0] === w.clipId && r[2]!.includes('chars/s'))!;
    expect(row.at(-1)).toBe(w.transcript!.slice(0, 80) + (w.transcript!.length > 80 ? '…' : ''));
  });

  it('keeps every table row as wide as its header', () => {
    for (const t of tables(md)) for (const row of t) expect(row.length).toBe(t[0]!.length);
    expect(md.split('\n').length).toBeLessThan(300);
  });
});

describe('the renderers, from the library', () => {
  it('render the three human outputs from a report alone', async () => {
    expect(renderMarkdown(report)).toBe(md);
    expect(await renderHtml(report)).toMatch(/^<!DOCTYPE html>[\s\S]*id="verdict"/);
    const card = renderDatacard(report, { command: null, configSha256: '0'.repeat(64) });
    expect(card).toMatch(/^---\npretty_name: /);
    expect(card).toContain('Made by a library call');
  });
});

describe('report.md of an Opus set (real MLS clips)', () => {
  it('names the format without a "0-bit" depth', async () => {
    const o = tempDir();
    await audit({ source: join(REAL, 'mls', 'spanish'), out: o });
    const text = readFileSync(join(o, 'report.md'), 'utf8');
    expect(text).not.toMatch(/0-bit/);
    const formats = tableWith(text, 'format')!;
    expect(formats[1]![0]).toMatch(/^\d+ Hz, mono, opus$/);
  });
});

describe('report.md of a huge report', () => {
  /** The demo report grown to what a large corpus produces: every finding code, thousands of speakers and problems. */
  function huge(base: AuditReport): AuditReport {
    const r = structuredClone(base);
    const worst = base.findings['noise.low_snr']!.worst[0]!;
    r.findings = Object.fromEntries(
      Object.entries(findingCatalog).map(([c, spec], i) => [
        c,
        {
          severity: spec.severity,
          description: spec.description,
          clips: 1000 + i * 97,
          worst: Array.from({ length: 10 }, (_, k) => ({ ...worst, code: c, clipId: `clip-${i}-${k}` })),
        },
      ]),
    );
    const groups = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`spk${i}`, { clips: 100, hours: 0.2 }]));
    const cov = r.dataset.coverage!;
    for (const f of ['speaker', 'gender', 'accent', 'language', 'split'] as const)
      cov[f] = { groups, balance: { groups: 3000, normalizedEntropy: 0.9, gini: 0.2, maxMinRatio: 4 }, unlisted: 2500 };
    cov.speakersBelowMinimum = Array.from({ length: 3000 }, (_, i) => ({ speaker: `spk${i}`, minutes: 1 }));
    r.sourceFindings = Array.from({ length: 500 }, (_, i) => ({
      code: 'source.malformed_line',
      severity: 'error' as const,
      message: `m.csv:${i}: bad`,
      origin: { file: 'm.csv', line: i },
    }));
    r.dataset.format!.formats = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`${8000 + i} Hz/16-bit/1 ch/pcm`, 10]),
    );
    return r;
  }

  it('stays under 300 lines, and names the codes whose worst clips did not fit', () => {
    const big = renderMarkdown(huge(report));
    const lines = big.split('\n').length;
    expect(lines).toBeLessThanOrEqual(MAX_MARKDOWN_LINES);
    expect(big).toMatch(
      /The worst clips of \d+ more codes \(.*`text\.near_duplicate`.*\) are in report\.html and report\.json\./,
    );
    expect(big).toContain('… 2,995 more');
    expect(big).toContain('… and 490 more in report.json');
    for (const t of tables(big)) for (const row of t) expect(row.length).toBe(t[0]!.length);
  });
});
