import { homedir } from 'node:os';
import { join } from 'node:path';
import { datasetInfo, fileDownloadInfo, listFiles } from '@huggingface/hub';
import type { SourceOptions } from '../types.js';
import { HubError, hubFetch, type HubTarget } from './errors.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** The branch where the Hub's parquet converter writes `<config>/<split>/NNNN.parquet` for every viewable dataset. */
export const CONVERTED_REVISION = 'refs/convert/parquet';

export interface HubSettings {
  endpoint: string;
  token?: string;
  tokenFrom?: string;
  cacheDir: string;
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
  };
}

/** The commit a revision points at, so the cache key and the file URLs stay fixed while a branch moves. */
export async function resolveCommit(settings: HubSettings, ref: HubDatasetRef): Promise<string | undefined> {
  const info = await datasetInfo({
    name: ref.repo,
    revision: ref.revision,
    hubUrl: settings.endpoint,
    additionalFields: ['sha'],
    fetch: hubFetch(target(settings, ref)),
  });
  return typeof info.sha === 'string' && /^[0-9a-f]{7,64}$/i.test(info.sha) ? info.sha : undefined;
}

export interface RepoFile {
  path: string;
  size: number;
}

/** Every file of the revision; the library follows the `Link: rel="next"` pages. */
export async function listRepoFiles(settings: HubSettings, ref: HubDatasetRef, at: string): Promise<RepoFile[]> {
  const files: RepoFile[] = [];
  // listFiles puts the revision into the path as is; `refs/convert/parquet` must travel as one segment.
  const entries = listFiles({
    repo: { type: 'dataset', name: ref.repo },
    revision: encodeURIComponent(at),
    recursive: true,
    hubUrl: settings.endpoint,
    fetch: hubFetch(target(settings, ref)),
  });
  for await (const entry of entries)
    if (entry.type === 'file') files.push({ path: entry.path, size: entry.lfs?.size ?? entry.size });
  return files;
}

export interface DownloadInfo {
  url: string;
  size: number;
  etag: string;
}

/** URL, size and ETag of one file (a `Range: bytes=0-0` probe); the bytes themselves are fetched by `cache.ts`. */
export async function downloadInfo(
  settings: HubSettings,
  ref: HubDatasetRef,
  at: string,
  path: string,
): Promise<DownloadInfo> {
  const info = await fileDownloadInfo({
    repo: { type: 'dataset', name: ref.repo },
    path,
    revision: at,
    hubUrl: settings.endpoint,
    fetch: hubFetch(target(settings, ref)),
  });
  if (!info)
    throw new HubError(
      `hf://datasets/${ref.repo}@${ref.revision}: file ${path} is listed but cannot be downloaded (not found)`,
      404,
      'EntryNotFound',
    );
  return { url: info.url, size: info.size, etag: info.etag };
}
