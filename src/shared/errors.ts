/**
 * Expected failures carry a machine-readable code; src/http/errors.ts maps each
 * code to an HTTP status in one place. Anything else is a bug or an
 * infrastructure failure and reaches clients only as INTERNAL.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_STOCK'
  | 'ILLEGAL_TRANSITION'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'CART_EMPTY'
  | 'CART_CLOSED'
  | 'CURRENCY_MISMATCH'
  | 'PRODUCT_UNAVAILABLE'
  | 'IMPORT_FAILED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'PROMOTION_REFUSED'
  | 'SERVICE_UNAVAILABLE';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: unknown): AppError => new AppError('CONFLICT', message, details);
export const badRequest = (message: string, details?: unknown): AppError =>
  new AppError('BAD_REQUEST', message, details);

/** A business outcome that callers are expected to handle (Vendure-style). */
export type Result<T, C extends ErrorCode = ErrorCode> =
  | { ok: true; value: T }
  | { ok: false; code: C; message: string; details?: unknown };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <C extends ErrorCode>(code: C, message: string, details?: unknown) =>
  ({ ok: false, code, message, details }) as const;

/** Turns a failed Result into the AppError an HTTP route throws. */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new AppError(r.code, r.message, r.details);
}
