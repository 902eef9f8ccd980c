import { InputError } from '../../errors.js';

/** A Hub request that failed for a reason the user can act on; `status`/`code` let callers fall back (e.g. no parquet branch). */
export class HubError extends InputError {
  override name = 'HubError';
  constructor(
    message: string,
    readonly status?: number,
    /** The Hub's `X-Error-Code` (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`), when it sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** What a request is about, so its failure can name the repo, the revision and where to fix it. */
export interface HubTarget {
  endpoint: string;
  repo: string;
  revision: string;
  token?: string;
  /** Where the token came from, for the message that refuses it. */
  tokenFrom?: string;
}

export const hfUri = (t: { repo: string; revision: string }) => `hf://datasets/${t.repo}@${t.revision}`;

async function serverMessage(res: Response): Promise<string> {
  const header = res.headers.get('X-Error-Message');
  if (header) return header;
  const body = await res.text().catch(() => '');
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    return String(json.error ?? json.message ?? '');
  } catch {
    return body.slice(0, 200);
  }
}

/** The message for a refused or failed response; 401/403/404 say what to do next. */
export async function errorForResponse(t: HubTarget, res: Response, url: string): Promise<HubError> {
  const code = res.headers.get('X-Error-Code') ?? undefined;
  const said = await serverMessage(res);
  const page = `${t.endpoint}/datasets/${t.repo}`;
  const tokens = `${t.endpoint}/settings/tokens`;
  if (code === 'RepoNotFound' || (res.status === 404 && code === undefined && /repo(sitory)? not found/i.test(said))) {
    return new HubError(
      `hf://datasets/${t.repo}: no such dataset on ${t.endpoint}. Check owner/name (hf://datasets/<owner>/<name>); a private dataset also needs HF_TOKEN`,
      res.status,
      code,
    );
  }
  if (code === 'RevisionNotFound' || (res.status === 404 && /revision/i.test(said))) {
    return new HubError(
      `hf://datasets/${t.repo}: revision ${JSON.stringify(t.revision)} not found on ${t.endpoint}. Name a branch, tag or commit that exists: hf://datasets/${t.repo}@<revision>`,
      res.status,
      code ?? 'RevisionNotFound',
    );
  }
  if (res.status === 401 || res.status === 403 || code === 'GatedRepo') {
    const fix = `accept the terms at ${page} and set HF_TOKEN to a read token from ${tokens}`;
    const message = t.token
      ? `${hfUri(t)}: access refused with the token from ${t.tokenFrom ?? 'HF_TOKEN'} (wrong, expired, or its account has not accepted the terms). If the dataset is gated or private: ${fix}`
      : `${hfUri(t)}: gated or private: ${fix}`;
    return new HubError(message, res.status, code);
  }
  if (res.status === 404) {
    const path = decodeURIComponent(new URL(url).pathname);
    return new HubError(
      `${hfUri(t)}: not found on ${t.endpoint} (${path})${said ? `: ${said}` : ''}`,
      res.status,
      code ?? 'EntryNotFound',
    );
  }
  return new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} answered HTTP ${res.status} for ${url}${said ? `: ${said}` : ''}`,
    res.status,
    code,
  );
}

export function errorForNetwork(t: HubTarget, err: unknown): HubError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
  return new HubError(
    `cannot reach the Hub at ${t.endpoint} (${why}) to read hf://datasets/${t.repo}. Check the network, or set HF_ENDPOINT to a reachable endpoint or mirror`,
  );
}

/**
 * A `fetch` for @huggingface/hub and our own downloads: adds the token only for the Hub's own origin (never for a CDN it
 * redirects to) and turns every failure into a HubError with the Hub's error code, which the library's own errors drop.
 */
export function hubFetch(t: HubTarget): typeof fetch {
  const origin = new URL(t.endpoint).origin;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    if (t.token && new URL(url).origin === origin) headers.set('Authorization', `Bearer ${t.token}`);
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers });
    } catch (err) {
      throw errorForNetwork(t, err);
    }
    if (!res.ok) throw await errorForResponse(t, res, url);
    return res;
  };
}
