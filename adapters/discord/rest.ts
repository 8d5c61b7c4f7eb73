import { DiscordAPIError, REST } from '@discordjs/rest';

export interface DiscordRestOptions {
  /** DISCORD_API_ROOT, e.g. https://discord.com (default) or a local test server. */
  apiRoot?: string | undefined;
  token?: string | undefined;
  /** Retries of a 5xx or timed-out request (429s wait for retry_after instead). */
  retries?: number;
  timeoutMs?: number;
}

/** Rate limits longer than this are not waited out: the call fails instead. */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

/** The REST base discord.js expects ("…/api"; it appends /v10 itself). */
export function apiBase(root: string | undefined): string {
  const base = (root ?? 'https://discord.com').replace(/\/+$/, '');
  return base.endsWith('/api') ? base : `${base}/api`;
}

/**
 * One REST client per process: discord.js's queue honours rate limits
 * (429 retry_after, buckets), retries 5xx a bounded number of times and
 * refuses to wait out very long limits.
 */
export function createDiscordRest(opts: DiscordRestOptions): REST {
  const rest = new REST({
    api: apiBase(opts.apiRoot),
    retries: opts.retries ?? 2,
    timeout: opts.timeoutMs ?? 10_000,
    rejectOnRateLimit: (info) => info.retryAfter > MAX_RATE_LIMIT_WAIT_MS,
  });
  if (opts.token) rest.setToken(opts.token);
  return rest;
}

/** Discord's JSON error code (e.g. 50007 "cannot send messages to this user"), if any. */
export function discordErrorCode(err: unknown): number | null {
  return err instanceof DiscordAPIError && typeof err.code === 'number' ? err.code : null;
}

export function httpStatusOf(err: unknown): number | null {
  return err instanceof DiscordAPIError ? err.status : null;
}
