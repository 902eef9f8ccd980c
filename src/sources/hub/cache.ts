import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { downloadInfo, target, type HubDatasetRef, type HubSettings } from './client.js';
import { HubError, hfUri } from './errors.js';
import { hubFetch } from './http.js';

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
 * (a write stream destroyed by the error would drop what it still buffered). The body is `hubFetch`'s: it fails on a
 * stall or on more bytes than announced, before those bytes reach the file.
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
    if (err instanceof HubError) throw err;
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

/** A 206 must continue where the `.part` ends; bytes from elsewhere would be appended in the wrong place. */
function resumesAt(res: Response, offset: number): boolean {
  const m = /^bytes (\d+)-/.exec(res.headers.get('Content-Range') ?? '');
  return m !== null && Number(m[1]) === offset;
}

/**
 * The local copy of one repo file, downloaded once. Bytes go to `<file>.part` first and are renamed when complete, so a
 * cached file is always whole. A `.part` left by a stall or a dropped connection is continued with a Range request;
 * one that got more bytes than announced, or bytes from the wrong place, is deleted, as nothing in it can be trusted.
 */
export async function fetchToCache(key: CacheKey & { size?: number }): Promise<string> {
  const final = cachePath(key);
  const have = await sizeOf(final);
  if (have >= 0 && (key.size === undefined || have === key.size)) return final;
  await mkdir(dirname(final), { recursive: true });
  const part = `${final}.part`;
  const t = target(key.settings, key.ref);
  const info = await downloadInfo(key.settings, key.ref, key.at, key.path);
  const what = `${hfUri(key.ref)}: download of ${key.path}`;
  if (key.size !== undefined && key.size !== info.size)
    throw new HubError(
      `${what}: the listing announced ${key.size} bytes, the file answers with ${info.size}. Retry later; if it repeats, check that HF_ENDPOINT is the Hub or a faithful mirror`,
    );
  let offset = Math.max(0, await sizeOf(part));
  if (offset > info.size) offset = 0;
  if (offset < info.size || info.size === 0) {
    // No If-Range: the URL names a commit, so its bytes cannot change (and the CDN's ETag is not the Hub's).
    // A server that ignores Range answers 200 with the whole file, which then replaces the .part.
    const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
    const cap = (res: Response) => ({ bytes: res.status === 206 ? info.size - offset : info.size, announced: true });
    try {
      const res = await hubFetch(t, { cap })(info.url, { headers });
      const append = offset > 0 && res.status === 206;
      if (append && !resumesAt(res, offset)) {
        await res.body?.cancel();
        await rm(part, { force: true });
        throw new HubError(
          `${what}: the Hub at ${t.endpoint} answered the resume from byte ${offset} with ${res.headers.get('Content-Range') ?? 'no Content-Range'}; the partial file was deleted, run again to download it anew`,
        );
      }
      if (!res.body) throw new HubError(`${hfUri(key.ref)}: empty response for ${key.path}`);
      await appendBody(res.body, part, append, what);
    } catch (err) {
      // A stall or a dropped connection leaves a .part worth resuming; bytes beyond the announced size leave nothing.
      if (err instanceof HubError && err.problem === 'too-large') await rm(part, { force: true });
      throw err;
    }
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
