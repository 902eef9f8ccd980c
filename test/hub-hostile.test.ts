// The Hub client against servers that misbehave on purpose, all on 127.0.0.1 with real sockets: one that never
// answers, one that trickles, one whose listing links to itself, one with an endless body, one that is busy, one that
// answers garbage. The limits are cut to milliseconds so every failure shows within a fraction of a second.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { cachePath, fetchToCache } from '../src/sources/hub/cache.js';
import { hubSettings, parseHubUri, target } from '../src/sources/hub/client.js';
import { planHubRead } from '../src/sources/hub/dataset.js';
import { HubError } from '../src/sources/hub/errors.js';
import { hubFetch } from '../src/sources/hub/http.js';
import { DEFAULT_HUB_LIMITS, type HubLimits } from '../src/sources/hub/limits.js';
import type { SourceOptions } from '../src/sources/types.js';
import {
  endless,
  startFakeHub,
  startSilentServer,
  trickle,
  type FakeHub,
  type LoggedRequest,
} from './helpers/fake-hub.js';
import { tempDir } from './helpers/run.js';

const REPO = 'tts-audit/hostile';
const URI = `hf://datasets/${REPO}`;
const SHARD = 'data/train-00000-of-00001.parquet';
const SIZE = 1000;
const SHA = 'a'.repeat(40);
const FAST: Partial<HubLimits> = {
  connectTimeoutMs: 300,
  idleTimeoutMs: 100,
  retries: 2,
  retryDelayMs: 10,
  maxRetryWaitMs: 50,
};
/** Per test: a missing timeout or loop guard fails here instead of hanging the suite. */
const QUICK = 5000;

let work: string;
let hub: FakeHub;
let shardBytes: Buffer;

beforeAll(async () => {
  work = tempDir('tts-audit-hostile-');
  shardBytes = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));
  writeFileSync(join(work, 'shard.parquet'), shardBytes);
  writeFileSync(join(work, 'README.md'), '# hostile\n');
  const files = { [SHARD]: join(work, 'shard.parquet'), 'README.md': join(work, 'README.md') };
  hub = await startFakeHub({ repos: { [REPO]: { branches: { main: { sha: SHA, files } } } }, pageSize: 100 });
});

afterEach(() => {
  hub.intercept = undefined;
  hub.requests.length = 0;
});

afterAll(async () => {
  await hub?.close();
  rmSync(work, { recursive: true, force: true });
});

const options = (limits: Partial<HubLimits> = {}, hubUrl = hub.url): SourceOptions & { cacheDir: string } => ({
  hubUrl,
  cacheDir: mkdtempSync(join(work, 'cache-')),
  hubLimits: { ...FAST, ...limits },
});

const count = (pick: (r: LoggedRequest) => boolean) => hub.requests.filter(pick).length;
const isRevision = (r: LoggedRequest) => r.path.includes('/revision/');
const isTree = (r: LoggedRequest) => r.path.includes('/tree/');
const isDownload = (r: LoggedRequest) => r.path.includes('/resolve/') && r.range !== 'bytes=0-0';
const revisionUrl = (endpoint: string) => `${endpoint}/api/datasets/${REPO}/revision/main?expand=sha`;

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

async function failure(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    return err as HubError;
  }
  throw new Error('expected a failure');
}

/** Lists the repo, then downloads its one shard into the cache, as the `hub` source does. */
async function download(opts: SourceOptions) {
  const plan = await planHubRead(URI, opts);
  const [shard] = plan.shards;
  const key = { settings: plan.settings, ref: plan.ref, at: plan.at, path: shard.path, size: shard.size };
  return { final: cachePath(key), fetched: fetchToCache(key) };
}

async function timed<T>(promise: Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await promise;
  return [value, performance.now() - start];
}

const json = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
  return true;
};

describe('a Hub that misbehaves', { timeout: QUICK }, () => {
  it('a server that accepts and never answers: an error naming the endpoint and URL within the connect timeout', async () => {
    const silent = await startSilentServer();
    const endpoint = silent.url;
    try {
      const [err, ms] = await timed(
        failure(planHubRead(URI, options({ connectTimeoutMs: 100, retries: 1 }, endpoint))),
      );
      expect(err.message).toContain(`the Hub at ${endpoint} did not answer ${revisionUrl(endpoint)} within 100 ms`);
      expect(err.message).toContain('HF_HUB_DOWNLOAD_TIMEOUT=<seconds>');
      expect(err.message).toContain('gave up after 2 attempts');
      // Each attempt reached the server; the attempts themselves are counted by the message above. Not exactly 2:
      // on a loaded runner, an attempt aborted while its socket was still connecting may leave undici a spare one.
      expect(silent.connections()).toBeGreaterThanOrEqual(2);
      // Two 100 ms timeouts and a 10 ms wait, far below the 30 s default; the margin is for a loaded 2-core runner.
      expect(ms).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });

  it('a body that trickles a byte every 900 ms fails after idleTimeoutMs 300 with nothing in the cache; 50 ms steps pass', async () => {
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'resolve' || route.probe) return false;
      res.writeHead(200, { 'Content-Length': String(SIZE) });
      trickle(res, shardBytes, 1, 900);
      return true;
    };
    // Wide margins: the suite runs this beside CPU-bound tests on 2 cores.
    const slow = options({ idleTimeoutMs: 300 });
    const { final, fetched } = await download(slow);
    const [err, ms] = await timed(failure(fetched));
    expect(err.message).toContain(`the Hub at ${hub.url} stalled on ${hub.url}/datasets/${REPO}/resolve/`);
    expect(err.message).toContain(`${SHARD}: no bytes for 300 ms (after 1 bytes)`);
    expect(err.message).toContain('hubLimits.idleTimeoutMs');
    expect(ms).toBeLessThan(3000);
    expect(existsSync(final)).toBe(false);
    expect(count(isDownload)).toBe(1);

    // The clock is per read, not per body: 10 steps 50 ms apart take 500 ms in all, well past the 300 ms.
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'resolve' || route.probe) return false;
      res.writeHead(200, { 'Content-Length': String(SIZE) });
      trickle(res, shardBytes, SIZE / 10, 50);
      return true;
    };
    const steady = await download(options({ idleTimeoutMs: 300 }));
    expect(readFileSync(await steady.fetched).equals(shardBytes)).toBe(true);
  });

  it('a Link rel="next" that points to its own page stops after one request; an endless one stops at maxPages', async () => {
    const entries = JSON.stringify([{ type: 'file', oid: 'x', size: SIZE, path: SHARD }]);
    hub.intercept = (req, res, route) =>
      route.action === 'tree' &&
      json(res, 200, entries, { Link: `<http://${req.headers.host}${req.url}>; rel="next"` });
    const err = await failure(planHubRead(URI, options()));
    expect(err.message).toContain(`the Hub at ${hub.url} sent the file listing round in a circle: page 1 links back`);
    expect(err.message).toContain(`${hub.url}/api/datasets/${REPO}/tree/${SHA}?recursive=true&expand=false`);
    expect(count(isTree)).toBe(1);

    hub.requests.length = 0;
    hub.intercept = (req, res, route) => {
      if (route.action !== 'tree') return false;
      const next = new URL(req.url!, `http://${req.headers.host}`);
      next.searchParams.set('cursor', String(Number(next.searchParams.get('cursor') ?? 0) + 1));
      return json(res, 200, entries, { Link: `<${next.href}>; rel="next"` });
    };
    const endlessPages = await failure(planHubRead(URI, options({ maxPages: 3 })));
    expect(endlessPages.message).toContain('goes on past 3 pages');
    expect(endlessPages.message).toContain('hubLimits.maxPages');
    expect(count(isTree)).toBe(3);
  });

  it('an endless parquet body beyond the announced size is refused and leaves no file in the cache', async () => {
    let hungUp: Promise<void> | undefined;
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'resolve' || route.probe) return false;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }); // chunked: no Content-Length
      hungUp = endless(res);
      return true;
    };
    const chunked = options();
    const err = await failure((await download(chunked)).fetched);
    expect(err.message).toContain(`the Hub at ${hub.url} sent more than the ${SIZE} bytes announced for`);
    expect(err.message).toContain(SHARD);
    await hungUp; // the client dropped the connection instead of draining it
    expect(filesUnder(chunked.cacheDir)).toEqual([]);

    // A Content-Length beyond the announced size is refused before a byte is read.
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'resolve' || route.probe) return false;
      res.writeHead(200, { 'Content-Length': String(SIZE * 1000) });
      hungUp = endless(res);
      return true;
    };
    const declared = options();
    const early = await failure((await download(declared)).fetched);
    expect(early.message).toContain(`declared ${SIZE * 1000} bytes, more than the ${SIZE} bytes announced`);
    await hungUp;
    expect(filesUnder(declared.cacheDir)).toEqual([]);
  });

  it('a body with no announced size stops at maxDownloadBytes', async () => {
    hub.intercept = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      void endless(res);
      return true;
    };
    const settings = hubSettings(options({ maxDownloadBytes: 50_000 }), {});
    const url = `${hub.url}/datasets/${REPO}/resolve/main/${SHARD}`;
    const res = await hubFetch(target(settings, parseHubUri(URI)))(url);
    const err = await failure(res.arrayBuffer());
    expect(err.message).toContain(`sent more than 50000 bytes (hubLimits.maxDownloadBytes) for ${url}; refused`);
  });

  it('503 twice, then 200: fails with one retry, succeeds with two', async () => {
    let busy = 0;
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'revision' || busy === 0) return false;
      busy -= 1;
      return json(res, 503, '{"error":"Service Unavailable"}');
    };
    busy = 2;
    const err = await failure(planHubRead(URI, options({ retries: 1 })));
    expect(err.message).toContain(`the Hub at ${hub.url} answered HTTP 503 for ${revisionUrl(hub.url)}`);
    expect(err.message).toContain('gave up after 2 attempts');
    expect(err.status).toBe(503);
    expect(count(isRevision)).toBe(2);

    hub.requests.length = 0;
    busy = 2;
    const plan = await planHubRead(URI, options({ retries: 2 }));
    expect(plan.shards.map((s) => s.path)).toEqual([SHARD]);
    expect(count(isRevision)).toBe(3);
  });

  it('429 with Retry-After: 3600 waits maxRetryWaitMs, not an hour', async () => {
    let busy = 1;
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'tree' || busy === 0) return false;
      busy -= 1;
      return json(res, 429, '{"error":"Too Many Requests"}', { 'Retry-After': '3600' });
    };
    const [plan, ms] = await timed(planHubRead(URI, options({ maxRetryWaitMs: 150, retryDelayMs: 0 })));
    expect(plan.shards).toHaveLength(1);
    expect(count(isTree)).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1500);
  });

  it('404 is an answer, not retried', async () => {
    hub.intercept = (_req, res, route) => route.action === 'revision' && json(res, 404, '{"error":"Not Found"}');
    const err = await failure(planHubRead(URI, options({ retries: 3 })));
    expect(err.status).toBe(404);
    expect(err.message).toContain(hub.url);
    expect(count(isRevision)).toBe(1);
  });

  it('an answer that is not JSON names the Hub, the URL and what to check, for the dataset info and a tree page', async () => {
    hub.intercept = (_req, res, route) => {
      if (route.action !== 'revision') return false;
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Please log in to the proxy</body></html>');
      return true;
    };
    const info = await failure(planHubRead(URI, options()));
    expect(info.message).toContain(
      `the Hub at ${hub.url} answered ${revisionUrl(hub.url)} with something that is not JSON`,
    );
    expect(info.message).toContain('"<html><body>Please log in');
    expect(info.message).toContain('HF_ENDPOINT');
    expect(info.message).not.toMatch(/Unexpected token/);
    expect(count(isRevision)).toBe(1);

    hub.intercept = (_req, res, route) => route.action === 'tree' && json(res, 200, '[{"type":"file","path":');
    const page = await failure(planHubRead(URI, options()));
    expect(page.message).toContain(
      `answered ${hub.url}/api/datasets/${REPO}/tree/${SHA}?recursive=true&expand=false with something that is not JSON`,
    );
    expect(count(isTree)).toBe(1);
  });
});

describe('Hub limits', () => {
  it('default to DEFAULT_HUB_LIMITS, then HF_HUB_DOWNLOAD_TIMEOUT, then hubLimits; bad values are refused', () => {
    expect(hubSettings({}, {}).limits).toEqual(DEFAULT_HUB_LIMITS);
    expect(hubSettings({}, { HF_HUB_DOWNLOAD_TIMEOUT: '2.5' }).limits).toMatchObject({
      connectTimeoutMs: 2500,
      idleTimeoutMs: 2500,
      retries: DEFAULT_HUB_LIMITS.retries,
    });
    expect(hubSettings({ hubLimits: { idleTimeoutMs: 7 } }, { HF_HUB_DOWNLOAD_TIMEOUT: '2.5' }).limits).toMatchObject({
      connectTimeoutMs: 2500,
      idleTimeoutMs: 7,
    });
    expect(() => hubSettings({ hubLimits: { retries: -1 } }, {})).toThrow(InputError);
    expect(() => hubSettings({ hubLimits: { idleTimeout: 5 } as Partial<HubLimits> }, {})).toThrow(/idleTimeout/);
    expect(() => hubSettings({}, { HF_HUB_DOWNLOAD_TIMEOUT: 'soon' })).toThrow(/HF_HUB_DOWNLOAD_TIMEOUT/);
  });
});
