import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit, type AuditReport } from '../src/index.js';
import { markdownText, markup, visible } from '../src/outputs/report-html-escape.js';
import { prose } from '../src/outputs/report-md-util.js';
import { SCRIPT } from '../src/outputs/report-html-page.js';
import { launchChromium, watch } from './helpers/browser.js';
import { REAL, tempDir } from './helpers/run.js';

// Nothing a dataset holds may become markup in report.html or report.md: a tiny NeMo set whose ids, speakers,
// transcripts, paths and folder name are attacks is audited for real, and both reports are read back by a parser
// (and the page by a browser) to show that all of it arrived as text.

const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF\u2060]/u;

/** Each entry ends up in a worst list (a short transcript over a long clip, odd characters), so both reports quote it. */
const HOSTILE = [
  {
    id: '<script>alert("id")</script>',
    speaker: '"><img src=x onerror=alert(1)>',
    text: 'in 1455 ![x](http://host/t.png) and [click](http://evil.example/) <b>bold</b> <script>alert(2)</script>',
  },
  {
    id: 'pipe|id`tick`',
    speaker: 'spk|`x`',
    text: 'in 1456 a | b `code` www.example.com http://host/x a@b.example **strong** _em_ &amp; &#x202E; <!-- c -->',
  },
  {
    id: '\u202Eevil\u200Bid',
    speaker: '\u2066iso\u2069',
    text: 'in 1457 bidi \u202E override \u200F mark \uFEFF bom \u2060 joiner \u200D zwj',
  },
  { id: 'plain', speaker: 'ok', text: 'in 1458 a plain transcript' },
];

/** Markdown that would be live: an image, a link, autolinks, emphasis, a code span, a column break. */
const MARKDOWN_PATH =
  '![x](http:host.png) [click](javascript:alert(5)) www.evil.example a@b.example **s** _em_ `c` |.wav';

let data: string;
let out: string;
let html: string;
let md: string;

beforeAll(async () => {
  const root = tempDir();
  data = join(root, 'set "><i>x&amp;y');
  mkdirSync(join(data, 'wavs'), { recursive: true });
  const wavs = ['LJ001-0001', 'LJ001-0002', 'LJ001-0003', 'LJ001-0004'];
  const lines = HOSTILE.map((h, i) => {
    const name = i === 1 ? `"><svg onload=alert(3)> #?%.wav` : `${wavs[i]}.wav`;
    copyFileSync(join(REAL, 'ljspeech', 'wavs', `${wavs[i]}.wav`), join(data, 'wavs', name));
    return JSON.stringify({ audio_filepath: `wavs/${name}`, text: h.text, speaker: h.speaker, id: h.id });
  });
  // and two whose audio is missing: audio.missing quotes the path, in report.md too
  lines.push(JSON.stringify({ audio_filepath: 'wavs/<img src=y onerror=alert(4)>.wav', text: 'gone', id: 'gone' }));
  lines.push(JSON.stringify({ audio_filepath: `wavs/${MARKDOWN_PATH}`, text: 'gone too', id: 'gone too' }));
  writeFileSync(join(data, 'manifest.json'), lines.join('\n') + '\n');
  out = join(root, 'out');
  await audit({ source: join(data, 'manifest.json'), out, jobs: 1 });
  html = readFileSync(join(out, 'report.html'), 'utf8');
  md = readFileSync(join(out, 'report.md'), 'utf8');
});

describe('the escaping helpers', () => {
  it('spell out bidi controls, zero-width characters and controls', () => {
    expect(visible('a\u202Eb\u200Bc\uFEFFd\u2066e\u0007f\u00A0g')).toBe(
      'a⟨U+202E⟩b⟨U+200B⟩c⟨U+FEFF⟩d⟨U+2066⟩e⟨U+0007⟩f\u00A0g',
    );
    expect(visible('lone \uD800 surrogate, pair \uD83D\uDE00 kept')).toBe('lone ⟨U+D800⟩ surrogate, pair 😀 kept');
  });

  it('escape every interpolation of `markup` unless it is markup already', () => {
    const name = '<b onmouseover="x">&\u202E';
    expect(markup`<td title="${name}">${name}</td>${markup`<i>ok</i>`}`.value).toBe(
      '<td title="&lt;b onmouseover=&quot;x&quot;&gt;&amp;⟨U+202E⟩">&lt;b onmouseover=&quot;x&quot;&gt;&amp;⟨U+202E⟩</td><i>ok</i>',
    );
  });

  it('leave word-inner underscores of ids alone in Markdown but break emphasis, links and autolinks', () => {
    expect(markdownText('LJ001-0004_noise5db')).toBe('LJ001-0004_noise5db');
    expect(markdownText('_em_ *s* [a](b) www.x.org a@b.c http://h')).toBe(
      '\\_em\\_ \\*s\\* \\[a\\](b) www\\.x.org a\\@b.c http\\://h',
    );
  });

  it('keep the setting names of tts-audit’s own prose as code spans, and nothing else an edited report adds', () => {
    const html = micromark(
      `| meaning |\n|---|\n| ${prose('above `maxLeadingSec`: kept; `analyzers.x[0]` `[a](http://e)` `a|b` **b** <img>')} |`,
      { extensions: [gfm()], htmlExtensions: [gfmHtml()] },
    );
    expect([...html.matchAll(/<code>(.*?)<\/code>/g)].map((m) => m[1])).toEqual(['maxLeadingSec', 'analyzers.x[0]']);
    expect(html).not.toMatch(/<a |<img|<strong>/);
    expect(html.match(/<td>/g)).toHaveLength(1);
  });
});

describe('report.html of a hostile dataset', () => {
  it('holds exactly the page’s own script, no event handler, no image, no link out and no hidden character', () => {
    const { document } = parseHTML(html);
    const scripts = [...document.querySelectorAll('script')];
    expect(scripts.map((s) => s.textContent)).toEqual([SCRIPT]);
    expect(document.querySelectorAll('img, iframe, object, embed, form, base, link').length).toBe(0);
    for (const el of document.querySelectorAll('*'))
      for (const a of el.attributes) expect(a.name, `${el.tagName} ${a.name}`).not.toMatch(/^on/i);
    for (const a of document.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^#[\w-]+$/);
    expect(html).not.toMatch(HIDDEN);
  });

  it('shows every id, speaker, transcript and path as text, hidden characters spelled out', () => {
    const { document } = parseHTML(html);
    const text = document.body.textContent ?? '';
    for (const h of HOSTILE) {
      expect(text).toContain(visible(h.id));
      expect(text).toContain(visible(h.speaker));
      expect(text).toContain(visible(h.text));
    }
    expect(text).toContain('⟨U+202E⟩evil⟨U+200B⟩id');
    expect(text).toContain('<img src=y onerror=alert(4)>.wav');
    expect(text).toContain('set "><i>x&amp;y');
    expect(document.querySelectorAll('i, b, svg[onload]').length).toBe(0);
  });

  it('points the players at the clips by an encoded relative path, and at nothing for the missing one', () => {
    const { document } = parseHTML(html);
    const srcs = [...document.querySelectorAll('audio')].map((a) => a.getAttribute('src')!);
    expect(srcs.length).toBeGreaterThan(0);
    expect(srcs).toContain(
      '../set%20%22%3E%3Ci%3Ex%26amp%3By/wavs/%22%3E%3Csvg%20onload%3Dalert(3)%3E%20%23%3F%25.wav',
    );
    for (const src of srcs) expect(src).not.toMatch(/img/);
  });

  it('runs in chromium without a dialog, a refused script or a request outside the page’s folder', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const log = await watch(page);
      await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
      await page.hover('#flagged-table tbody tr');
      expect(log.dialogs).toEqual([]);
      expect(log.errors).toEqual([]); // a CSP refusal of an injected script would be a console error
      expect(log.requests).toEqual([pathToFileURL(join(out, 'report.html')).href]);
      expect(await page.locator('#flagged-table tbody tr').count()).toBe(HOSTILE.length + 2);
    } finally {
      await browser.close();
    }
  });
});

describe('report.md of a hostile dataset', () => {
  const rendered = () =>
    parseHTML(
      `<!DOCTYPE html><html><body>${micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] })}</body></html>`,
    ).document;

  it('renders (as GitHub would, GFM) to no link, image, raw HTML or emphasis from data', () => {
    const document = rendered();
    expect(document.querySelectorAll('a, img, script, b, i, svg, em, strong, del').length).toBe(0);
    // code spans are the report's own finding codes and metric names, never data
    for (const c of document.querySelectorAll('code')) expect(c.textContent).toMatch(/^[\w.[\]-]+$/);
    expect(md).not.toMatch(HIDDEN);
  });

  it('keeps each table cell whole: `|` and backticks in ids and speakers do not split or open anything', () => {
    const document = rendered();
    const cells = [...document.querySelectorAll('td, th')].map((c) => c.textContent);
    expect(cells).toContain('pipe|id`tick`');
    expect(cells).toContain('spk|`x`');
    expect(cells).toContain('⟨U+202E⟩evil⟨U+200B⟩id');
    expect(cells.some((c) => c.includes(`wavs/${MARKDOWN_PATH}`))).toBe(true);
    expect(cells.some((c) => c.includes('wavs/<img src=y onerror=alert(4)>.wav'))).toBe(true);
  });
});

describe('report.json', () => {
  it('still carries the data as it was (escaping is for the human reports only)', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport;
    const ids = Object.values(report.findings).flatMap((f) => f.worst.map((w) => w.clipId));
    expect(ids).toContain(HOSTILE[2]!.id);
  });
});
