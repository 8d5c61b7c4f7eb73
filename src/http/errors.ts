import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

/** The one mapping from error codes to HTTP statuses. */
export const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INSUFFICIENT_STOCK: 409,
  ILLEGAL_TRANSITION: 409,
  CART_CLOSED: 409,
  PRODUCT_UNAVAILABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  CART_EMPTY: 422,
  CURRENCY_MISMATCH: 422,
  IMPORT_FAILED: 422,
  RATE_LIMITED: 429,
  PROMOTION_REFUSED: 422,
  SERVICE_UNAVAILABLE: 503,
};

const httpCodes: Partial<Record<number, ErrorCode>> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined && { details }) } };
}

/** zod issues as "field: message" details clients can show next to inputs. */
export function validationError(err: ZodError, target: string): AppError {
  const issues = err.issues.map((i) => ({ path: [target, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0];
  return new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'Invalid request', { issues });
}

export function onError(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof AppError) {
      const retry = err.code === 'RATE_LIMITED' ? (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds : undefined;
      if (typeof retry === 'number') c.header('Retry-After', String(retry));
      return c.json(errorBody(err.code, err.message, err.details), statusOf[err.code]);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = httpCodes[status] ?? 'BAD_REQUEST';
      return c.json(errorBody(code, err.message || 'Bad request'), status);
    }
    if (err instanceof SyntaxError) {
      return c.json(errorBody('BAD_REQUEST', 'The request body is not valid JSON'), 400);
    }
    log.error({ err, requestId: c.req.header('x-request-id') ?? null }, 'unhandled error');
    return c.json(errorBody('INTERNAL', 'Something went wrong on our side; it has been logged'), 500);
  };
}
