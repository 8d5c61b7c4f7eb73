import { AppError } from '../../shared/errors.ts';

/** Opaque pagination cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  const v = decodeCursorValue(cursor);
  if (v !== undefined && typeof v !== 'string') throw invalidCursor();
  return v;
}

export function decodeCursorValue(cursor: string | undefined): unknown {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw invalidCursor();
  }
}

export const invalidCursor = () => new AppError('VALIDATION_FAILED', 'cursor is not one this API handed out');
