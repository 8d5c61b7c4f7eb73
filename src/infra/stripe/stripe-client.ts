import Stripe from 'stripe';

export interface StripeClientOptions {
  /** The SDK's own retries of a failed request (same Idempotency-Key); bounded. Default 2. */
  maxNetworkRetries?: number;
  /** Per request, in milliseconds. Default 10 s (the SDK's own default is 80 s). */
  timeoutMs?: number;
}

/**
 * The one place a Stripe client is built: from the secret key and, for a
 * local test server, STRIPE_API_BASE (host, port and protocol).
 */
export function createStripeClient(secretKey: string, apiBase: string | undefined, opts: StripeClientOptions = {}): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    maxNetworkRetries: opts.maxNetworkRetries ?? 2,
    timeout: opts.timeoutMs ?? 10_000,
    telemetry: false,
    ...(base && { host: base.hostname, port: base.port || (protocol === 'http' ? 80 : 443), protocol }),
  });
}

/** What is safe to log about a Stripe failure: never the request, key or card details. */
export function describeStripeError(err: unknown): Record<string, unknown> {
  if (err instanceof Stripe.errors.StripeError) {
    return { type: err.type, code: err.code ?? null, statusCode: err.statusCode ?? null, message: err.message, requestId: err.requestId ?? null };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}
