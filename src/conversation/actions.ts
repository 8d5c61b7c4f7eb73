import { compactUuid, expandUuid } from '../shared/ids.ts';

/**
 * Button payloads: short, versioned and validated. "1p:<id>" opens a product,
 * and so on. Anything that does not parse is a forged or stale button and
 * gets a polite answer, never an exception. Ids are Prisma cuids (25 chars)
 * or, for what a catalog import created, UUIDs (36): a UUID travels as "." and
 * its 22-character compact form (shared/ids.ts), so the longest payloads, two ids
 * ("1R:<order>:<product>:<stars>", "1O:<product>:<broadcast>"), stay within
 * Telegram's 64 bytes, where two UUIDs or a UUID and a cuid did not.
 */
export type Action =
  | { op: 'menu' }
  | { op: 'help' }
  | { op: 'categories' }
  | { op: 'category'; id: string; page: number }
  | { op: 'more'; page: number }
  | { op: 'product'; id: string }
  | { op: 'variant'; id: string }
  | { op: 'add'; variantId: string; quantity: number }
  | { op: 'cart' }
  | { op: 'setQty'; itemId: string; quantity: number }
  | { op: 'checkout' }
  | { op: 'orders' }
  | { op: 'recommend'; productId: string | null }
  | { op: 'confirm'; token: string }
  | { op: 'reject'; token: string }
  | { op: 'order'; id: string }
  | { op: 'returnAsk'; orderId: string }
  | { op: 'returnConfirm'; orderId: string }
  | { op: 'unsubscribe' }
  | { op: 'privacy' }
  | { op: 'forgetAsk' }
  | { op: 'forget'; token: string }
  | { op: 'removeCode' }
  | { op: 'offer'; productId: string; broadcastId: string }
  | { op: 'notifyMe'; variantId: string }
  /** A star under a review request: the order's product, 1–5 ("1R:<order>:<product>:<stars>", ≤ 57 bytes with cuids). */
  | { op: 'rate'; orderId: string; productId: string; stars: number };

const VERSION = '1';
const id = '([a-zA-Z0-9_-]{1,40})';
const n = '(\\d{1,3})';

const codecs: { code: string; re: RegExp; decode: (m: RegExpExecArray) => Action | null; encode?: never }[] = [
  { code: 'm', re: /^$/, decode: () => ({ op: 'menu' }) },
  { code: 'h', re: /^$/, decode: () => ({ op: 'help' }) },
  { code: 'c', re: /^$/, decode: () => ({ op: 'categories' }) },
  { code: 'g', re: new RegExp(`^${id}:${n}$`), decode: (m) => ({ op: 'category', id: m[1] ?? '', page: Number(m[2]) }) },
  { code: 's', re: new RegExp(`^${n}$`), decode: (m) => ({ op: 'more', page: Number(m[1]) }) },
  { code: 'p', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'product', id: m[1] ?? '' }) },
  { code: 'v', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'variant', id: m[1] ?? '' }) },
  {
    code: 'a',
    re: new RegExp(`^${id}:${n}$`),
    decode: (m) => (Number(m[2]) >= 1 ? { op: 'add', variantId: m[1] ?? '', quantity: Number(m[2]) } : null),
  },
  { code: 'k', re: /^$/, decode: () => ({ op: 'cart' }) },
  { code: 'q', re: new RegExp(`^${id}:${n}$`), decode: (m) => ({ op: 'setQty', itemId: m[1] ?? '', quantity: Number(m[2]) }) },
  { code: 'x', re: /^$/, decode: () => ({ op: 'checkout' }) },
  { code: 'o', re: /^$/, decode: () => ({ op: 'orders' }) },
  { code: 'r', re: new RegExp(`^${id}?$`), decode: (m) => ({ op: 'recommend', productId: m[1] ?? null }) },
  { code: 'y', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'confirm', token: m[1] ?? '' }) },
  { code: 'n', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'reject', token: m[1] ?? '' }) },
  { code: 'e', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'order', id: m[1] ?? '' }) },
  { code: 'u', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'returnAsk', orderId: m[1] ?? '' }) },
  { code: 'w', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'returnConfirm', orderId: m[1] ?? '' }) },
  { code: 'z', re: /^$/, decode: () => ({ op: 'unsubscribe' }) },
  { code: 'i', re: /^$/, decode: () => ({ op: 'privacy' }) },
  { code: 'f', re: /^$/, decode: () => ({ op: 'forgetAsk' }) },
  { code: 'F', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'forget', token: m[1] ?? '' }) },
  { code: 'd', re: /^$/, decode: () => ({ op: 'removeCode' }) },
  { code: 'O', re: new RegExp(`^${id}:${id}$`), decode: (m) => ({ op: 'offer', productId: m[1] ?? '', broadcastId: m[2] ?? '' }) },
  { code: 'b', re: new RegExp(`^${id}$`), decode: (m) => ({ op: 'notifyMe', variantId: m[1] ?? '' }) },
  { code: 'R', re: new RegExp(`^${id}:${id}:([1-5])$`), decode: (m) => ({ op: 'rate', orderId: m[1] ?? '', productId: m[2] ?? '', stars: Number(m[3]) }) },
];

/** A payload field: a UUID packed as "." and its compact form (see above), anything else as it is. */
const packField = (f: string) => {
  const compact = compactUuid(f);
  return compact ? `.${compact}` : f;
};

/** A packed UUID back as the UUID; null when the field starts with "." but is not one. */
const unpackField = (f: string): string | null => (f.startsWith('.') ? expandUuid(f.slice(1)) : f);

export function encodeAction(a: Action): string {
  const body = (() => {
    switch (a.op) {
      case 'menu': return 'm';
      case 'help': return 'h';
      case 'categories': return 'c';
      case 'category': return `g:${a.id}:${a.page}`;
      case 'more': return `s:${a.page}`;
      case 'product': return `p:${a.id}`;
      case 'variant': return `v:${a.id}`;
      case 'add': return `a:${a.variantId}:${a.quantity}`;
      case 'cart': return 'k';
      case 'setQty': return `q:${a.itemId}:${a.quantity}`;
      case 'checkout': return 'x';
      case 'orders': return 'o';
      case 'recommend': return a.productId ? `r:${a.productId}` : 'r';
      case 'confirm': return `y:${a.token}`;
      case 'reject': return `n:${a.token}`;
      case 'order': return `e:${a.id}`;
      case 'returnAsk': return `u:${a.orderId}`;
      case 'returnConfirm': return `w:${a.orderId}`;
      case 'unsubscribe': return 'z';
      case 'privacy': return 'i';
      case 'forgetAsk': return 'f';
      case 'forget': return `F:${a.token}`;
      case 'removeCode': return 'd';
      case 'offer': return `O:${a.productId}:${a.broadcastId}`;
      case 'notifyMe': return `b:${a.variantId}`;
      case 'rate': return `R:${a.orderId}:${a.productId}:${a.stars}`;
    }
  })();
  return VERSION + body.split(':').map(packField).join(':');
}

/** Parses a payload; null for anything forged, stale-versioned or malformed. */
export function decodeAction(payload: string): Action | null {
  if (payload.length > 100 || !payload.startsWith(VERSION)) return null;
  const code = payload.charAt(1);
  const rest = payload.slice(2);
  const codec = codecs.find((c) => c.code === code);
  if (!codec) return null;
  if (rest && !rest.startsWith(':')) return null;
  const fields = (rest.startsWith(':') ? rest.slice(1) : rest).split(':').map(unpackField);
  if (fields.includes(null)) return null;
  const m = codec.re.exec(fields.join(':'));
  return m ? codec.decode(m) : null;
}
