// Makes docs/report-screenshot.png, the picture of report.html the README shows: audits the demo set into a
// temporary folder and photographs the top of its report (verdict, totals, first charts) in Debian's chromium.
// Run: npx tsx scripts/screenshot-report.ts   (needs `apt-get install chromium`; set CHROMIUM_PATH elsewhere)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { audit } from '../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TARGET = path.join(ROOT, 'docs', 'report-screenshot.png');
// Kept under this so the README stays light to clone.
const MAX_BYTES = 300_000;

const out = mkdtempSync(path.join(tmpdir(), 'tts-audit-screenshot-'));
try {
  // Named relative to the repository, as the README's command names it, so the picture shows no local path.
  process.chdir(ROOT);
  await audit({ source: 'data-samples/ljspeech', out, jobs: 1 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1250 } });
    await page.goto(pathToFileURL(path.join(out, 'report.html')).href, { waitUntil: 'load' });
    await page.screenshot({ path: TARGET });
  } finally {
    await browser.close();
  }
  const bytes = statSync(TARGET).size;
  console.log(`${path.relative(ROOT, TARGET)}: ${(bytes / 1000).toFixed(0)} KB`);
  if (bytes > MAX_BYTES) throw new Error(`${TARGET} is ${bytes} bytes, over ${MAX_BYTES}: take a smaller view`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
