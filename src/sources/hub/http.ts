import {
  connectTimeout,
  errorForNetwork,
  errorForResponse,
  HubError,
  idleTimeout,
  notJson,
  tooLarge,
  type BodyCap,
  type HubTarget,
} from './errors.js';

// Every request to the Hub goes through here, so a hostile or broken endpoint meets the same limits everywhere:
// headers within connectTimeoutMs, no body silent for idleTimeoutMs, no body beyond its cap, bounded retries.

/** Error bodies are read only for their message. */
const ERROR_BODY_BYTES = 64 * 1024;

export interface RequestOptions {
  /**
   * The most body bytes taken, decided once the headers are in (a resumed 206 carries less than a 200). Default: the
   * Content-Length, else `maxDownloadBytes`.
   */
  cap?: (res: Response) => BodyCap;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function contentLength(res: Response): number | undefined {
  const header = res.headers.get('Content-Length');
  const n = header === null ? NaN : Number(header);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function defaultCap(t: HubTarget, res: Response): BodyCap {
  const declared = contentLength(res);
  return declared !== undefined
    ? { bytes: declared, announced: true }
    : { bytes: t.limits.maxDownloadBytes, announced: false, limit: 'maxDownloadBytes' };
}

/**
 * The body as a stream that fails when no bytes came for idleTimeoutMs or more than `cap` came. The clock runs only
 * while the reader waits, so a consumer slow to write to disk is never taken for a stalled server; the source is
 * locked only on the first read, so a body nobody reads (the library's size probe) is released as before.
 */
function guarded(t: HubTarget, url: string, res: Response, abort: AbortController, cap: BodyCap): Response {
  const source = res.body;
  if (source === null) return res;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let got = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(out) {
        reader ??= source.getReader();
        let stalled = false;
        const timer = setTimeout(() => {
          stalled = true;
          abort.abort();
        }, t.limits.idleTimeoutMs);
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (err) {
          throw stalled ? idleTimeout(t, url, got) : err;
        } finally {
          clearTimeout(timer);
        }
        // An abort may end the pending read as `done` rather than rejecting it: that is no complete body.
        if (stalled) throw idleTimeout(t, url, got);
        if (next.done) return out.close();
        got += next.value.byteLength;
        if (got > cap.bytes) {
          abort.abort();
          throw tooLarge(t, url, cap);
        }
        out.enqueue(next.value);
      },
      cancel: (reason) => (reader ?? source).cancel(reason).catch(() => undefined),
    },
    { highWaterMark: 0 },
  );
  const wrapped = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  // @huggingface/hub reads `url` to tell a CDN redirect from the Hub; a constructed Response has none of its own.
  Object.defineProperty(wrapped, 'url', { value: res.url });
  return wrapped;
}

/** One request, no retry: the token only for the Hub's own origin (never a CDN it redirects to), then the limits. */
async function attempt(t: HubTarget, url: string, init: RequestInit | undefined, options: RequestOptions) {
  const headers = new Headers(init?.headers);
  if (t.token && new URL(url).origin === new URL(t.endpoint).origin) headers.set('Authorization', `Bearer ${t.token}`);
  const abort = new AbortController();
  const signal = init?.signal ? AbortSignal.any([abort.signal, init.signal]) : abort.signal;
  // A timer that can be cleared, not AbortSignal.timeout: the same signal governs the body, which may rightly take hours.
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    abort.abort();
  }, t.limits.connectTimeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers, signal });
  } catch (err) {
    if (late) throw connectTimeout(t, url);
    if (init?.signal?.aborted) throw err;
    throw errorForNetwork(t, url, err);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    const body = guarded(t, url, res, abort, { bytes: ERROR_BODY_BYTES, announced: false });
    throw await errorForResponse(t, body, url);
  }
  const cap = options.cap?.(res) ?? defaultCap(t, res);
  const declared = contentLength(res);
  if (declared !== undefined && declared > cap.bytes) {
    abort.abort();
    throw tooLarge(t, url, cap, declared);
  }
  return guarded(t, url, res, abort, cap);
}

/**
 * Runs `once` again after a connection error, a timeout, 429 or 5xx, at most `retries` more times: after retryDelayMs,
 * doubled each time, or after the server's Retry-After; never longer than maxRetryWaitMs. Other failures are answers.
 */
export async function withRetries<T>(t: HubTarget, once: () => Promise<T>): Promise<T> {
  const { retries, retryDelayMs, maxRetryWaitMs } = t.limits;
  for (let tries = 1; ; tries += 1) {
    try {
      return await once();
    } catch (err) {
      if (!(err instanceof HubError) || !err.transient) throw err;
      if (tries > retries) {
        if (tries === 1) throw err;
        throw new HubError(`${err.message}; gave up after ${tries} attempts`, err.status, err.code, {
          problem: err.problem,
        });
      }
      const wait = err.retryAfterMs ?? retryDelayMs * 2 ** (tries - 1);
      await sleep(Math.min(wait, maxRetryWaitMs));
    }
  }
}

/**
 * A `fetch` for @huggingface/hub and our downloads: every failure is a HubError naming the endpoint and URL, transient
 * ones are retried (up to the headers; a body that breaks off is the caller's to resume), and the body keeps the limits.
 */
export function hubFetch(t: HubTarget, options: RequestOptions = {}): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return withRetries(t, () => attempt(t, url, init, options));
  };
}

/**
 * A JSON answer and its headers. The whole exchange is retried (a small body is cheap to fetch again), the body is held
 * to maxJsonBytes, and an answer that is not JSON is named as such instead of `Unexpected token`.
 */
export function getJson(t: HubTarget, url: string): Promise<{ json: unknown; headers: Headers }> {
  const cap = () => ({ bytes: t.limits.maxJsonBytes, announced: false, limit: 'maxJsonBytes' as const });
  return withRetries(t, async () => {
    const res = await attempt(t, url, { headers: { Accept: 'application/json' } }, { cap });
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw err instanceof HubError ? err : errorForNetwork(t, url, err);
    }
    try {
      return { json: JSON.parse(text) as unknown, headers: res.headers };
    } catch {
      throw notJson(t, url, text);
    }
  });
}
