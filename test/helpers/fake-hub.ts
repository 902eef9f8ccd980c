// A stand-in for the Hugging Face Hub on 127.0.0.1, answering exactly the calls @huggingface/hub and src/hub make:
//   GET /api/datasets/<owner>/<name>/revision/<rev>         datasetInfo (sha)
//   GET /api/datasets/<owner>/<name>/tree/<rev>[/<path>]     listFiles, paginated with `Link: <…&cursor=N>; rel="next"`
//   GET /datasets/<owner>/<name>/resolve/<rev>/<path>        fileDownloadInfo probe (Range: bytes=0-0) and downloads (Range, If-Range)
// Errors carry the Hub's `X-Error-Code` (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo) and JSON bodies.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { FixtureRepo } from '../../scripts/make-hub-fixtures.js';

export interface LoggedRequest {
  method: string;
  /** Decoded path, e.g. `/datasets/keithito/lj_speech/resolve/<sha>/main/train/0000.parquet`. */
  path: string;
  range?: string;
  authorization?: string;
}

/** A request as the routes see it: `action` is `revision`/`tree` (api) or `resolve`; `probe` is the size probe. */
export interface Route {
  api: boolean;
  action: string;
  repo: string;
  rev: string;
  path: string;
  probe: boolean;
}

export interface FakeHub {
  url: string;
  requests: LoggedRequest[];
  /** Set to N: the next file download sends N bytes, then the connection drops (an interrupted download). */
  cutNextDownloadAfter?: number;
  /** Answers a request instead of the fake Hub when it returns true (a misbehaving server for one route). */
  intercept?: (req: IncomingMessage, res: ServerResponse, route: Route) => boolean;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
const fail = (res: ServerResponse, status: number, code: string, error: string) =>
  send(res, status, { error }, { 'X-Error-Code': code, 'X-Error-Message': error });

function branchOf(repo: FixtureRepo, rev: string) {
  for (const [name, branch] of Object.entries(repo.branches)) if (name === rev || branch.sha === rev) return branch;
  return undefined;
}

function treeEntries(files: Record<string, string>, under: string) {
  const paths = Object.keys(files)
    .filter((p) => under === '' || p.startsWith(`${under}/`))
    .sort();
  const dirs = new Set<string>();
  for (const p of paths)
    p.split('/')
      .slice(0, -1)
      .forEach((_, i, parts) => dirs.add(parts.slice(0, i + 1).join('/')));
  return [
    ...[...dirs]
      .filter((d) => d.startsWith(under))
      .map((d) => ({ type: 'directory', oid: createHash('sha1').update(d).digest('hex'), size: 0, path: d })),
    ...paths.map((p) => {
      const size = statSync(files[p]).size;
      const oid = createHash('sha1').update(p).digest('hex');
      return {
        type: 'file',
        oid,
        size,
        path: p,
        lfs: { oid: createHash('sha256').update(p).digest('hex'), size, pointerSize: 134 },
      };
    }),
  ];
}

/** `bytes=a-b` / `bytes=a-` → [start, endInclusive], or undefined when absent or unsatisfiable. */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  const m = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start <= end ? [start, end] : undefined;
}

function serveFile(req: IncomingMessage, res: ServerResponse, abs: string, sha: string, cutAfter?: number) {
  const bytes = readFileSync(abs);
  const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
  const headers = {
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'X-Repo-Commit': sha,
    'Content-Type': 'application/octet-stream',
  };
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== etag ? undefined : parseRange(req.headers.range, bytes.length);
  if (range) {
    const [start, end] = range;
    res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
      'Content-Length': String(end - start + 1),
    });
    res.end(req.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
  if (cutAfter !== undefined) {
    res.write(bytes.subarray(0, cutAfter), () => res.socket?.destroy());
    return;
  }
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export async function startFakeHub(args: { repos: Record<string, FixtureRepo>; pageSize?: number }): Promise<FakeHub> {
  const pageSize = args.pageSize ?? 2;
  const requests: LoggedRequest[] = [];
  const fake = {} as FakeHub;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Split before decoding: a revision such as refs%2Fconvert%2Fparquet is one path segment.
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const auth = req.headers.authorization;
    requests.push({
      method: req.method ?? 'GET',
      path: parts.map((p) => `/${p}`).join(''),
      range: req.headers.range,
      authorization: auth,
    });
    const api = parts[0] === 'api';
    const [kind, owner, name, action, rev, ...rest] = api ? parts.slice(1) : parts;
    if (kind !== 'datasets' || !owner || !name || !action || !rev)
      return fail(res, 404, 'EntryNotFound', `no route ${url.pathname}`);
    const route = {
      api,
      action,
      repo: `${owner}/${name}`,
      rev,
      path: rest.join('/'),
      probe: req.headers.range === 'bytes=0-0',
    };
    if (fake.intercept?.(req, res, route)) return;
    const repo = args.repos[`${owner}/${name}`];
    if (!repo) return fail(res, 404, 'RepoNotFound', 'Repository not found');
    const branch = branchOf(repo, rev);
    if (!branch) return fail(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    if (api && action === 'revision') {
      return send(res, 200, {
        _id: `id-${owner}-${name}`,
        id: `${owner}/${name}`,
        private: false,
        gated: repo.gatedToken ? 'manual' : false,
        downloads: 0,
        likes: 0,
        lastModified: '2024-01-01T00:00:00.000Z',
        sha: branch.sha,
      });
    }
    if (api && action === 'tree') {
      const entries = url.searchParams.get('recursive') === 'true' ? treeEntries(branch.files, rest.join('/')) : [];
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const next = cursor + pageSize;
      const headers: Record<string, string> = {};
      if (next < entries.length) {
        const link = new URL(url.href.replace('http://127.0.0.1', `http://${req.headers.host}`));
        link.searchParams.set('cursor', String(next));
        headers.Link = `<${link.href}>; rel="next"`;
      }
      return send(res, 200, entries.slice(cursor, next), headers);
    }
    if (!api && action === 'resolve') {
      // Gated: the card and file list are public, the files are not (as on the Hub).
      if (repo.gatedToken && auth !== `Bearer ${repo.gatedToken}`) {
        return fail(
          res,
          401,
          'GatedRepo',
          `Access to dataset ${owner}/${name} is restricted. You must have access to it and be authenticated to access it.`,
        );
      }
      const abs = branch.files[rest.join('/')];
      if (!abs) return fail(res, 404, 'EntryNotFound', `${rest.join('/')} does not exist on "${rev}"`);
      const probe = req.headers.range === 'bytes=0-0';
      const cutAfter = probe ? undefined : fake.cutNextDownloadAfter;
      if (!probe) fake.cutNextDownloadAfter = undefined;
      return serveFile(req, res, abs, branch.sha, cutAfter);
    }
    return fail(res, 404, 'EntryNotFound', `no route ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  });
}

// Misbehaving servers, for test/hub-hostile.test.ts.

/** Accepts connections and never answers a byte. */
export async function startSilentServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Writes 16 KiB chunks as fast as the socket takes them, up to 32 MiB (endless for a 1000-byte file, but a client
 * without a cap does not fill the disk); resolves when the client hangs up or the body ends.
 */
export function endless(res: ServerResponse): Promise<void> {
  const chunk = Buffer.alloc(16 * 1024, 7);
  let left = 2048;
  return new Promise((resolve) => {
    let open = true;
    res.on('close', () => {
      open = false;
      resolve();
    });
    const pump = () => {
      while (open && left > 0 && res.write(chunk)) left -= 1;
      if (left <= 0) res.end();
      else if (open) res.once('drain', pump);
    };
    pump();
  });
}

/** `step` bytes of `bytes` every `everyMs`, the first at once. */
export function trickle(res: ServerResponse, bytes: Buffer, step: number, everyMs: number) {
  let at = 0;
  const send = () => {
    res.write(bytes.subarray(at, at + step));
    at += step;
    if (at < bytes.length) return;
    clearInterval(timer);
    res.end();
  };
  const timer = setInterval(send, everyMs);
  res.on('close', () => clearInterval(timer));
  send();
}
