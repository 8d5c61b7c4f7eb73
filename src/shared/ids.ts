import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** URL-safe random token with `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time string comparison (hashes first so lengths never leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** lower-case-words-with-dashes, at most 80 characters. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const COMPACT = /^[0-9A-Za-z]{22}$/;

/**
 * A UUID (lower case, as catalog imports create them) as 22 characters of
 * [0-9A-Za-z], for payloads with tight limits: Telegram's 64 bytes of button
 * data and of deep links. Null for anything that is not such a UUID.
 */
export function compactUuid(id: string): string | null {
  if (!UUID.test(id)) return null;
  let n = BigInt(`0x${id.replaceAll('-', '')}`);
  let out = '';
  for (let i = 0; i < 22; i++) {
    out = BASE62.charAt(Number(n % 62n)) + out;
    n /= 62n;
  }
  return out;
}

/** The UUID compactUuid made `text` from; null for anything it would not have written. */
export function expandUuid(text: string): string | null {
  if (!COMPACT.test(text)) return null;
  let n = 0n;
  for (const ch of text) n = n * 62n + BigInt(BASE62.indexOf(ch));
  if (n >= 1n << 128n) return null;
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
