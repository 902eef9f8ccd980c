import { z } from 'zod';
import { InputError } from '../../errors.js';

// What one Hub request may cost. The endpoint is whatever HF_ENDPOINT names (a mirror, a proxy, a typo), so a server
// that never answers, answers one byte a second, links its listing back to itself or sends an endless body must end
// the run with a message, not hang it or fill the disk. Every bound is generous for the real Hub.

export const DEFAULT_HUB_LIMITS = {
  /**
   * Until the response headers arrive: connecting, TLS and the server's own work. A recursive tree listing of a large
   * repo takes the Hub a few seconds, so this is well above that.
   */
  connectTimeoutMs: 30_000,
  /** Longest wait for the next bytes of a body: a stalled connection is dropped, however long the whole file takes. */
  idleTimeoutMs: 30_000,
  /**
   * Further attempts after a connection error, a timeout, 429 or 5xx. Other statuses are answers (404 stays 404),
   * and a download that broke off mid-body is not retried here: its `.part` is resumed by the next run.
   */
  retries: 3,
  /** Wait before the first retry, doubled for each further one (0.5 s, 1 s, 2 s), unless the server sends Retry-After. */
  retryDelayMs: 500,
  /** Longest wait before a retry: a Retry-After asking for an hour, or a long doubling, is cut to this. */
  maxRetryWaitMs: 60_000,
  /** Tree listing pages followed. The Hub sends up to 1000 entries a page, so this covers about a million files. */
  maxPages: 1000,
  /** Largest JSON answer held in memory; a full tree page of 1000 entries is about 0.3 MB. */
  maxJsonBytes: 32 * 1024 * 1024,
  /**
   * Largest body taken when nobody announced its size (no Content-Length, no size in the listing). Shards with an
   * announced size are held to exactly that size instead.
   */
  maxDownloadBytes: 16 * 1024 * 1024 * 1024,
} as const;

export type HubLimits = { -readonly [K in keyof typeof DEFAULT_HUB_LIMITS]: number };

const whole = z.number().int();
const hubLimitsSchema = z.strictObject({
  connectTimeoutMs: whole.positive(),
  idleTimeoutMs: whole.positive(),
  retries: whole.nonnegative(),
  retryDelayMs: whole.nonnegative(),
  maxRetryWaitMs: whole.nonnegative(),
  maxPages: whole.positive(),
  maxJsonBytes: whole.positive(),
  maxDownloadBytes: whole.positive(),
});

type Env = Record<string, string | undefined>;

/**
 * `HF_HUB_DOWNLOAD_TIMEOUT` (seconds) is huggingface_hub's own knob for the same thing (its connect and read timeout),
 * so users of the Hub's tools already know it; it is the only way to change a limit from the command line.
 */
function fromEnv(env: Env): Partial<HubLimits> {
  const raw = env.HF_HUB_DOWNLOAD_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return {};
  const seconds = Number(raw);
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new InputError(`HF_HUB_DOWNLOAD_TIMEOUT=${JSON.stringify(raw)}: expected a number of seconds above 0`);
  const ms = Math.ceil(seconds * 1000);
  return { connectTimeoutMs: ms, idleTimeoutMs: ms };
}

/** The defaults, then HF_HUB_DOWNLOAD_TIMEOUT, then the explicit options; a misspelt or negative limit is refused. */
export function hubLimits(options: Partial<HubLimits> | undefined, env: Env): HubLimits {
  const merged = { ...DEFAULT_HUB_LIMITS, ...fromEnv(env), ...options };
  const parsed = hubLimitsSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(object)'}: ${i.message}`).join('; ');
    throw new InputError(`hubLimits: ${problems}. The limits are ${Object.keys(DEFAULT_HUB_LIMITS).join(', ')}`);
  }
  return parsed.data;
}

/** `1.5 s`, `200 ms`: for messages. */
export const duration = (ms: number) => (ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`);
