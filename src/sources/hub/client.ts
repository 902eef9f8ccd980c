import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileDownloadInfo } from '@huggingface/hub';
import { z } from 'zod';
import type { SourceOptions } from '../types.js';
import { hfUri, HubError, type HubTarget } from './errors.js';
import { getJson, hubFetch } from './http.js';
import { hubLimits, type HubLimits } from './limits.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** The branch where the Hub's parquet converter writes `<config>/<split>/NNNN.parquet` for every viewable dataset. */
export const CONVERTED_REVISION = 'refs/convert/parquet';

export interface HubSettings {
  endpoint: string;
  token?: string;
  tokenFrom?: string;
  cacheDir: string;
  limits: HubLimits;
}

type Env = Record<string, string | undefined>;

/** Options first, then the environment the `huggingface_hub` tools use, then defaults; the env is a parameter for tests. */
export function hubSettings(options: SourceOptions, env: Env = process.env): HubSettings {
  const endpoint = (options.hubUrl ?? env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  try {
    new URL(endpoint);
  } catch {
    throw new HubError(
      `Hub endpoint ${JSON.stringify(endpoint)} is not a URL (from ${options.hubUrl ? 'the hubUrl option' : 'HF_ENDPOINT'})`,
    );
  }
  const token = options.token ?? env.HF_TOKEN;
  const cacheDir = options.cacheDir ?? env.TTS_AUDIT_CACHE ?? join(homedir(), '.cache', 'tts-audit');
  return {
    endpoint,
    cacheDir,
    limits: hubLimits(options.hubLimits, env),
    ...(token ? { token, tokenFrom: options.token ? 'the token option' : 'HF_TOKEN' } : {}),
  };
}

export interface HubDatasetRef {
  repo: string;
  /** As given after `@`, default `main`. */
  revision: string;
}

/** `hf://datasets/<owner>/<name>[@revision]`; a revision may contain `/` (`refs/convert/parquet`) or be URL-encoded. */
export function parseHubUri(uri: string): HubDatasetRef {
  const m = /^hf:\/\/datasets\/([\w.-]+\/[\w.-]+)(?:@(.+?))?\/?$/.exec(uri);
  if (!m) {
    throw new HubError(
      `${uri}: expected hf://datasets/<owner>/<name>[@revision] (models and spaces are not datasets; paths inside a repo are chosen with --subset and --split)`,
    );
  }
  return { repo: m[1], revision: m[2] ? decodeURIComponent(m[2]) : 'main' };
}

export function target(settings: HubSettings, ref: HubDatasetRef): HubTarget {
  return {
    endpoint: settings.endpoint,
    repo: ref.repo,
    revision: ref.revision,
    token: settings.token,
    tokenFrom: settings.tokenFrom,
    limits: settings.limits,
  };
}

const notAListing = (t: HubTarget, url: string, what: string) =>
  new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} answered ${url} with JSON that is not ${what}. Check that HF_ENDPOINT is the Hugging Face Hub or a mirror of its API, or retry later`,
    undefined,
    undefined,
    { problem: 'not-json' },
  );

const revisionInfo = z.object({ sha: z.string().nullish() });

/** The commit a revision points at, so the cache key and the file URLs stay fixed while a branch moves. */
export async function resolveCommit(settings: HubSettings, ref: HubDatasetRef): Promise<string | undefined> {
  const t = target(settings, ref);
  const url = `${settings.endpoint}/api/datasets/${ref.repo}/revision/${encodeURIComponent(ref.revision)}?expand=sha`;
  const { json } = await getJson(t, url);
  const info = revisionInfo.safeParse(json);
  if (!info.success) throw notAListing(t, url, 'dataset info');
  const sha = info.data.sha;
  return typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined;
}

export interface RepoFile {
  path: string;
  size?: number;
}

const treePage = z.array(
  z.object({
    type: z.string(),
    path: z.string(),
    size: z.number().nonnegative().optional(),
    lfs: z.object({ size: z.number().nonnegative() }).nullish(),
  }),
);

/** The `rel="next"` target of a Link header, resolved against the page that sent it. */
function nextPage(t: HubTarget, link: string | null, current: string): string | undefined {
  for (const [, href, params] of (link ?? '').matchAll(/<([^>]*)>([^<]*)/g)) {
    if (!/(^|[;\s])rel="?([^"]*\s)?next([\s"]|$)/i.test(params)) continue;
    try {
      return new URL(href, current).href;
    } catch {
      throw new HubError(
        `${hfUri(t)}: the Hub at ${t.endpoint} linked the page after ${current} to ${JSON.stringify(href)}, not a URL`,
      );
    }
  }
  return undefined;
}

/**
 * Every file of the revision, following the `Link: rel="next"` pages. A page seen before, or more than maxPages of
 * them, stops the listing: a server that links back to itself would otherwise be asked forever.
 */
export async function listRepoFiles(settings: HubSettings, ref: HubDatasetRef, at: string): Promise<RepoFile[]> {
  const t = target(settings, ref);
  const files: RepoFile[] = [];
  const seen = new Set<string>();
  // The revision travels as one path segment: `refs/convert/parquet` becomes `refs%2Fconvert%2Fparquet`.
  let url: string | undefined =
    `${settings.endpoint}/api/datasets/${ref.repo}/tree/${encodeURIComponent(at)}?recursive=true&expand=false`;
  while (url !== undefined) {
    if (seen.has(url))
      throw new HubError(
        `${hfUri(t)}: the Hub at ${t.endpoint} sent the file listing round in a circle: page ${seen.size} links back to ${url}, already read. Retry later; if it repeats, check that HF_ENDPOINT is the Hub or a faithful mirror`,
        undefined,
        undefined,
        { problem: 'loop' },
      );
    if (seen.size >= settings.limits.maxPages)
      throw new HubError(
        `${hfUri(t)}: the file listing from ${t.endpoint} goes on past ${settings.limits.maxPages} pages (next: ${url}). If the dataset really holds that many files, raise hubLimits.maxPages; otherwise check HF_ENDPOINT`,
        undefined,
        undefined,
        { problem: 'loop' },
      );
    seen.add(url);
    const { json, headers } = await getJson(t, url);
    const page = treePage.safeParse(json);
    if (!page.success) throw notAListing(t, url, 'a file list');
    for (const entry of page.data)
      if (entry.type === 'file') files.push({ path: entry.path, size: entry.lfs?.size ?? entry.size });
    url = nextPage(t, headers.get('Link'), url);
  }
  return files;
}

export interface DownloadInfo {
  url: string;
  size: number;
  etag: string;
}

/**
 * URL, size and ETag of one file (a `Range: bytes=0-0` probe, which @huggingface/hub knows to read for Xet-stored files
 * too); the bytes themselves are fetched by `cache.ts`.
 */
export async function downloadInfo(
  settings: HubSettings,
  ref: HubDatasetRef,
  at: string,
  path: string,
): Promise<DownloadInfo> {
  const t = target(settings, ref);
  let info: Awaited<ReturnType<typeof fileDownloadInfo>>;
  try {
    info = await fileDownloadInfo({
      repo: { type: 'dataset', name: ref.repo },
      path,
      revision: at,
      hubUrl: settings.endpoint,
      fetch: hubFetch(t),
    });
  } catch (err) {
    if (err instanceof HubError) throw err;
    throw new HubError(
      `${hfUri(t)}: the Hub at ${t.endpoint} answered the size probe of ${path} with something unexpected (${(err as Error).message}). Retry later, or check HF_ENDPOINT`,
    );
  }
  if (!info)
    throw new HubError(
      `${hfUri(t)}: file ${path} is listed but cannot be downloaded (not found on ${t.endpoint})`,
      404,
      'EntryNotFound',
    );
  if (!Number.isSafeInteger(info.size) || info.size < 0)
    throw new HubError(
      `${hfUri(t)}: the Hub at ${t.endpoint} gave ${path} the size ${info.size}; retry later, or check HF_ENDPOINT`,
    );
  return { url: info.url, size: info.size, etag: info.etag };
}
