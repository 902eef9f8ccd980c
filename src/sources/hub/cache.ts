import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { downloadInfo, target, type HubDatasetRef, type HubSettings } from './client.js';
import { HubError, hfUri, hubFetch } from './errors.js';

export interface CacheKey {
  settings: HubSettings;
  ref: HubDatasetRef;
  /** The commit sha when the Hub gave one, else the revision name (then a moved branch is not noticed). */
  at: string;
  path: string;
}

const segment = (s: string) => encodeURIComponent(s).replace(/^\.+$/, (dots) => '%2E'.repeat(dots.length));

/**
 * `<cacheDir>/hub/<endpoint>/datasets/<owner>/<name>/<commit>/<path>`: the endpoint is part of the key so a mirror's
 * files never stand in for the Hub's. Every component is encoded, so a listed path cannot climb out with `..`.
 */
export function cachePath({ settings, ref, at, path }: CacheKey): string {
  const endpoint = new URL(settings.endpoint);
  const host = segment(`${endpoint.host}${endpoint.pathname === '/' ? '' : endpoint.pathname}`);
  const [owner, name] = ref.repo.split('/');
  return join(
    settings.cacheDir,
    'hub',
    host,
    'datasets',
    segment(owner),
    segment(name),
    segment(at),
    ...path.split('/').map(segment),
  );
}

/**
 * Each chunk is on disk before the next is read, so when the connection drops everything that arrived is kept
 * (a write stream destroyed by the error would drop what it still buffered).
 */
async function appendBody(
  body: ReadableStream<Uint8Array>,
  part: string,
  append: boolean,
  what: string,
): Promise<void> {
  const file = await open(part, append ? 'a' : 'w');
  try {
    for await (const chunk of body) await file.write(chunk);
  } catch (err) {
    throw new HubError(`${what} broke off (${(err as Error).message}); run again to resume it`);
  } finally {
    await file.close();
  }
}

const sizeOf = (p: string) =>
  stat(p).then(
    (s) => s.size,
    () => -1,
  );

/**
 * The local copy of one repo file, downloaded once. Bytes go to `<file>.part` first and are renamed when complete, so a
 * cached file is always whole; a `.part` left by an interrupted run is continued with a Range request.
 */
export async function fetchToCache(key: CacheKey & { size?: number }): Promise<string> {
  const final = cachePath(key);
  const have = await sizeOf(final);
  if (have >= 0 && (key.size === undefined || have === key.size)) return final;
  await mkdir(dirname(final), { recursive: true });
  const part = `${final}.part`;
  const t = target(key.settings, key.ref);
  const info = await downloadInfo(key.settings, key.ref, key.at, key.path);
  let offset = Math.max(0, await sizeOf(part));
  if (offset > info.size) offset = 0;
  if (offset < info.size || info.size === 0) {
    // No If-Range: the URL names a commit, so its bytes cannot change (and the CDN's ETag is not the Hub's).
    // A server that ignores Range answers 200 with the whole file, which then replaces the .part.
    const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
    const res = await hubFetch(t)(info.url, { headers });
    const append = offset > 0 && res.status === 206;
    if (!res.body) throw new HubError(`${hfUri(key.ref)}: empty response for ${key.path}`);
    await appendBody(res.body, part, append, `${hfUri(key.ref)}: download of ${key.path}`);
  }
  const got = await sizeOf(part);
  if (got !== info.size) {
    if (got > info.size) await rm(part, { force: true });
    throw new HubError(
      `${hfUri(key.ref)}: ${key.path} arrived with ${got} bytes, the Hub announced ${info.size}; run again to ${got > info.size ? 'download it anew' : 'resume it'}`,
    );
  }
  await rename(part, final);
  return final;
}
