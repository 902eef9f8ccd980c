import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's chromium, installed by .ci/run with apt-get: playwright never downloads a browser here.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What a page did while it was open: console errors, failed requests, every URL asked for, script dialogs. */
export interface PageLog {
  errors: string[];
  failed: string[];
  requests: string[];
  dialogs: string[];
}

/** Records what `page` does; any request that is not `file:` is refused before it leaves and recorded. */
export async function watch(page: Page): Promise<PageLog> {
  const log: PageLog = { errors: [], failed: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route(/^(?!file:)/, (route) => route.abort());
  return log;
}
