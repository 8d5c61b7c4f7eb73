import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/** What grammY's client passes to fetch (core/client.js, core/payload.js). */
interface BotApiInit {
  method?: string;
  headers?: Record<string, string>;
  /** JSON text, or a multipart stream when a file is uploaded. */
  body?: string | Readable;
  signal?: AbortSignal;
}

/** What grammY's client reads of the response: its JSON body. */
interface BotApiResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface BotApiFetch {
  /** For grammY's `client.fetch`. */
  fetch: typeof fetch;
  /** Closes the kept-alive connections (the channel's stop); again, the same promise. */
  close(): Promise<void>;
}

/**
 * The HTTP client for Bot API calls: undici's request() on kept-alive
 * connections. grammY's default on Node is node-fetch over node:http, which
 * builds WHATWG Request, Headers and body streams for every call: a
 * sendMessage cost 308–340 µs of CPU that way against 170–226 µs here
 * (bench/telegram-client.bench.ts, 16 in flight). Every Telegram update is
 * answered by at least one call.
 *
 * grammY keeps its part: the payload (JSON, or a multipart stream for
 * uploads), the timeout through `signal`, and turning a failed request or a
 * body that is not JSON into its HttpError.
 */
export function botApiFetch(): BotApiFetch {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const call = async (url: string | URL, init: BotApiInit = {}): Promise<BotApiResponse> => {
    const res = await request(url, {
      dispatcher,
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      ...(init.headers && { headers: init.headers }),
      ...(init.body !== undefined && { body: init.body }),
      ...(init.signal && { signal: init.signal }),
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      ok: res.statusCode >= 200 && res.statusCode < 300,
      json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
      text: () => Promise.resolve(text),
    };
  };
  let closing: Promise<void> | null = null;
  return { fetch: call as unknown as typeof fetch, close: () => (closing ??= dispatcher.close()) };
}
