import { createHash } from 'node:crypto';

// The page's own style and script, inline so report.html is one file that loads nothing. The script only adds
// filtering and sorting to the flagged-clips table; every figure and table is in the markup without it.

export const STYLE = `
:root { color-scheme: light; --fg: #1b1e23; --muted: #5b6270; --line: #d9dde3; --bg: #fff; --band: #f4f6f8;
  --error: #b42318; --warning: #9a6700; --ok: #1a7f37; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); }
body { margin: 0 auto; max-width: 1200px; padding: 0 20px 40px; background: var(--bg); }
header { border-bottom: 1px solid var(--line); padding: 16px 0 8px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
nav a { margin-right: 12px; color: var(--muted); }
.meta { color: var(--muted); margin: 0; }
code { font: 12px ui-monospace, monospace; background: var(--band); padding: 0 3px; border-radius: 3px; }
.verdict { font-size: 18px; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 8px 0; }
.verdict.pass { background: #dafbe1; color: var(--ok); } .verdict.fail { background: #ffebe9; color: var(--error); }
ul.rules { list-style: none; padding: 0; columns: 2 420px; margin: 0; } ul.rules li { break-inside: avoid; margin: 2px 0; }
.rules .mark { display: inline-block; width: 1.2em; font-weight: 700; } .ok .mark { color: var(--ok); } .failed .mark { color: var(--error); }
.rules .failed { font-weight: 600; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--band); position: sticky; top: 0; }
td.num, .totals td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.data { overflow-wrap: anywhere; } .transcript { min-width: 220px; max-width: 420px; } .id, .where { white-space: nowrap; }
.speaker { color: var(--muted); font-size: 12px; }
td.error, tr.error td:nth-child(2) { color: var(--error); font-weight: 600; } td.warning, tr.warning td:nth-child(2) { color: var(--warning); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 8px 16px; }
figure.chart { margin: 0; } figure.wide { margin: 12px 0; max-width: 560px; }
figcaption { font-size: 12px; color: var(--muted); } .threshold { color: #d03c3c; }
.legend { color: var(--muted); }
dl.figures { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
dl.figures dt { color: var(--muted); } dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; }
.controls { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
.controls[hidden] { display: none; }
#flagged-table th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; }
#flagged-table th[aria-sort=ascending] button::after { content: ' ▲'; } #flagged-table th[aria-sort=descending] button::after { content: ' ▼'; }
audio { height: 28px; width: 200px; }
footer { margin-top: 32px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
`;

export const SCRIPT = `
(() => {
  const table = document.getElementById('flagged-table');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const q = document.getElementById('flagged-q');
  const code = document.getElementById('flagged-code');
  const sev = document.getElementById('flagged-sev');
  const count = document.getElementById('flagged-count');
  document.getElementById('flagged-controls').hidden = false;
  const filter = () => {
    const text = q.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const keep = (!text || row.textContent.toLowerCase().includes(text)) &&
        (!code.value || row.dataset.codes.split(' ').includes(code.value)) &&
        (!sev.value || row.dataset.sev === sev.value);
      row.hidden = !keep;
      if (keep) shown += 1;
    }
    count.value = shown + ' of ' + rows.length + ' clips';
  };
  // Numbers sort by value (data-v), empty cells last either way; text by locale.
  const key = (row, i) => {
    const cell = row.cells[i];
    if (cell.dataset.v !== undefined) return Number(cell.dataset.v);
    return cell.textContent.trim() === '' ? null : cell.textContent.trim();
  };
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, i) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = th.textContent;
    th.textContent = '';
    th.append(button);
    button.addEventListener('click', () => {
      const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      headers.forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      rows.sort((a, b) => {
        const [x, y] = [key(a, i), key(b, i)];
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
      });
      body.append(...rows);
    });
  });
  for (const input of [q, code, sev]) input.addEventListener('input', filter);
  filter();
})();
`;

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * Nothing may load from outside the page, and only this page's own script may run: were an escaping bug ever to
 * let a dataset's `<script>` or `onerror=` through, the browser would still refuse it. Audio comes from local
 * files beside the dataset (`file:` when opened from disk, the same origin when served).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src ${hash(SCRIPT)}`,
  "media-src 'self' file:",
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
