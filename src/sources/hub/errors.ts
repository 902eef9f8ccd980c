import { InputError } from '../../errors.js';
import { duration, type HubLimits } from './limits.js';

/** Why a request failed when it was not the Hub's answer: the limits of `limits.ts`, or a connection that failed. */
export type HubProblem = 'network' | 'timeout' | 'too-large' | 'not-json' | 'loop';

/** A Hub request that failed for a reason the user can act on; `status`/`code` let callers fall back (e.g. no parquet branch). */
export class HubError extends InputError {
  override name = 'HubError';
  /** A later attempt may succeed: a connection error, a timeout, 429 or 5xx. */
  readonly transient: boolean;
  /** The server's Retry-After, when it sent one with a transient status. */
  readonly retryAfterMs?: number;
  readonly problem?: HubProblem;
  constructor(
    message: string,
    readonly status?: number,
    /** The Hub's `X-Error-Code` (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`), when it sent one. */
    readonly code?: string,
    more: { problem?: HubProblem; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.problem = more.problem;
    this.retryAfterMs = more.retryAfterMs;
    this.transient =
      more.problem === 'network' ||
      more.problem === 'timeout' ||
      (status !== undefined && (status === 429 || status >= 500));
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
  limits: HubLimits;
}

export const hfUri = (t: { repo: string; revision: string }) => `hf://datasets/${t.repo}@${t.revision}`;

/** What the server said, cut short: a hostile server's error text must not flood the terminal. */
async function serverMessage(res: Response): Promise<string> {
  const header = res.headers.get('X-Error-Message');
  if (header) return header.slice(0, 300);
  const body = await res.text().catch(() => '');
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    return String(json.error ?? json.message ?? '').slice(0, 300);
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
  const busy = res.status === 429 || res.status >= 500;
  return new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} answered HTTP ${res.status} for ${url}${said ? `: ${said}` : ''}${busy ? '. Retry later, or check HF_ENDPOINT' : ''}`,
    res.status,
    code,
    { retryAfterMs: busy ? retryAfterMs(res.headers.get('Retry-After')) : undefined },
  );
}

/** `Retry-After: 120` or an HTTP date, in ms from now. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function errorForNetwork(t: HubTarget, url: string, err: unknown): HubError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
  return new HubError(
    `cannot reach the Hub at ${t.endpoint} (${why}) for ${url}, reading hf://datasets/${t.repo}. Check the network, retry later, or set HF_ENDPOINT to a reachable endpoint or mirror`,
    undefined,
    undefined,
    { problem: 'network' },
  );
}

const moreTime = (limit: 'connectTimeoutMs' | 'idleTimeoutMs') =>
  `allow more time with HF_HUB_DOWNLOAD_TIMEOUT=<seconds> (hubLimits.${limit} in the API)`;

/** No headers within connectTimeoutMs. */
export const connectTimeout = (t: HubTarget, url: string) =>
  new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} did not answer ${url} within ${duration(t.limits.connectTimeoutMs)}. Retry later, check HF_ENDPOINT, or ${moreTime('connectTimeoutMs')}`,
    undefined,
    undefined,
    { problem: 'timeout' },
  );

/** No body bytes for idleTimeoutMs. */
export const idleTimeout = (t: HubTarget, url: string, got: number) =>
  new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} stalled on ${url}: no bytes for ${duration(t.limits.idleTimeoutMs)} (after ${got} bytes). Retry later, check HF_ENDPOINT, or ${moreTime('idleTimeoutMs')}`,
    undefined,
    undefined,
    { problem: 'timeout' },
  );

/** The most bytes a body may bring: the size announced for it, or a limit when nothing was announced. */
export interface BodyCap {
  bytes: number;
  announced: boolean;
  limit?: 'maxDownloadBytes' | 'maxJsonBytes';
}

/** A body beyond its cap, or a Content-Length (`declared`) beyond it. */
export function tooLarge(t: HubTarget, url: string, cap: BodyCap, declared?: number) {
  const beyond = cap.announced
    ? `more than the ${cap.bytes} bytes announced`
    : `more than ${cap.bytes} bytes (hubLimits.${cap.limit ?? 'maxDownloadBytes'})`;
  return new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} ${declared === undefined ? 'sent' : `declared ${declared} bytes,`} ${beyond} for ${url}; refused. Retry later; if it repeats, check that HF_ENDPOINT is the Hub or a faithful mirror`,
    undefined,
    undefined,
    { problem: 'too-large' },
  );
}

/** A 2xx answer that should be JSON and is not: an HTML error page, a proxy's login form, a truncated body. */
export const notJson = (t: HubTarget, url: string, text: string) =>
  new HubError(
    `${hfUri(t)}: the Hub at ${t.endpoint} answered ${url} with something that is not JSON (${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''}). Check that HF_ENDPOINT is the Hugging Face Hub or a mirror of its API, or retry later`,
    undefined,
    undefined,
    { problem: 'not-json' },
  );
