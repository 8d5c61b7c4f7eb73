import type { PromotionInput } from './promotion-input.ts';

/** A promotion typed in a chat, before its product and category slugs are resolved to ids. */
export type PromoCommand = Omit<PromotionInput, 'productIds' | 'categoryIds'> & {
  /** Category or product slugs after "on" (a category when one has the slug, else a product). */
  scope: string[];
};

export const PROMO_USAGE = [
  'Create a code: /promo CODE <what> [conditions]',
  'What: 20% | 5 off | freeship | b2g1 (buy 2 get 1 free)',
  'Conditions: min 30 · until 2026-12-31 · for 6h · from 2026-12-01 · limit 100 · once (per customer) · first (first order) · budget 500 · on <product or category slug>',
  'Example: /promo WINTER20 20% on hoodies until 2026-12-31 limit 200',
  'Switch off: /promo off CODE · list: /promos',
].join('\n');

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "12.50" → minor units with this many decimals; null if it is not an amount. */
function amountOf(text: string, exponent: number): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{1,3}))?$/.exec(text);
  if (!m?.[1] || (m[2]?.length ?? 0) > exponent) return null;
  return Number(m[1]) * 10 ** exponent + Number((m[2] ?? '').padEnd(exponent, '0') || '0');
}

const DAY_MS = 86_400_000;
const day = (text: string): Date | null => (DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? new Date(`${text}T00:00:00Z`) : null);

/** Conditions that take a value: each sets it on the command, or says what is wrong. */
const CONDITIONS: Record<string, (cmd: PromoCommand, value: string, exponent: number, now: Date) => string | null> = {
  for: (cmd, v, _e, now) => {
    const m = /^(\d{1,3})([hd])$/i.exec(v);
    const hours = m?.[1] ? Number(m[1]) * (m[2]?.toLowerCase() === 'd' ? 24 : 1) : 0;
    if (hours < 1 || hours > 24 * 90) return 'for needs a duration, e.g. for 6h or for 3d';
    cmd.endsAt = new Date(now.getTime() + hours * 3_600_000);
    return null;
  },
  min: (cmd, v, e) => ((cmd.minSubtotal = amountOf(v, e) ?? undefined) === undefined ? 'min needs an amount, e.g. min 30' : null),
  budget: (cmd, v, e) => ((cmd.budget = amountOf(v, e) ?? undefined) === undefined ? 'budget needs an amount, e.g. budget 500' : null),
  limit: (cmd, v) => {
    if (!/^\d{1,8}$/.test(v) || Number(v) < 1) return 'limit needs a number of uses, e.g. limit 100';
    cmd.totalLimit = Number(v);
    return null;
  },
  until: (cmd, v) => {
    const d = day(v);
    if (!d) return 'until needs a date, e.g. until 2026-12-31';
    cmd.endsAt = new Date(d.getTime() + DAY_MS); // the whole day
    return null;
  },
  from: (cmd, v) => {
    const d = day(v);
    if (!d) return 'from needs a date, e.g. from 2026-12-01';
    cmd.startsAt = d;
    return null;
  },
  on: (cmd, v) => {
    if (!/^[a-z0-9][a-z0-9-]{0,79}$/i.test(v)) return 'on needs a product or category slug, e.g. on hoodies';
    cmd.scope.push(v.toLowerCase());
    return null;
  },
};

/**
 * Reads a seller's /promo line, e.g. "WINTER20 20% on hoodies until
 * 2026-12-31 limit 200". Dates are whole days in UTC ("until" includes the
 * day). Anything it cannot read is an error naming the word, so nothing is
 * created by guesswork.
 */
export function parsePromoCommand(text: string, exponent: number, now: Date = new Date()): { ok: true; value: PromoCommand } | { ok: false; message: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [code, what, ...rest] = words;
  if (!code || !what) return { ok: false, message: PROMO_USAGE };
  let cmd: PromoCommand;
  const pct = /^(\d{1,3}(?:\.\d{1,2})?)%$/.exec(what);
  const bxgy = /^b(\d{1,2})g(\d{1,2})$/i.exec(what);
  if (pct?.[1]) cmd = { code, kind: 'percent', percentOff: Number(pct[1]), scope: [] };
  else if (/^free-?ship(ping)?$/i.test(what)) cmd = { code, kind: 'free_shipping', scope: [] };
  else if (bxgy?.[1] && bxgy[2]) cmd = { code, kind: 'buy_x_get_y', buyQuantity: Number(bxgy[1]), getQuantity: Number(bxgy[2]), scope: [] };
  else if (rest[0]?.toLowerCase() === 'off' && amountOf(what, exponent) !== null) {
    cmd = { code, kind: 'fixed', amountOff: amountOf(what, exponent) ?? 0, scope: [] };
    rest.shift();
  } else return { ok: false, message: `"${what}" is not a discount. ${PROMO_USAGE}` };

  for (let i = 0; i < rest.length; i++) {
    const word = (rest[i] ?? '').toLowerCase();
    if (word === 'once') cmd.perCustomerLimit = 1;
    else if (word === 'first') cmd.firstOrderOnly = true;
    else if (CONDITIONS[word]) {
      const next = rest[++i] ?? '';
      const error = CONDITIONS[word](cmd, next, exponent, now);
      if (error) return { ok: false, message: `"${word} ${next}": ${error}` };
    } else return { ok: false, message: `"${rest[i] ?? ''}" is not a condition. ${PROMO_USAGE}` };
  }
  return { ok: true, value: cmd };
}
