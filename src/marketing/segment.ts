/**
 * Who a broadcast goes to, as data: every rule must hold, and the consent
 * gate applies on top (a segment never widens who may be messaged).
 */
export const marketingChannels = ['telegram', 'discord'] as const;
export type MarketingChannel = (typeof marketingChannels)[number];

export type SegmentRule =
  | { kind: 'channel'; channel: MarketingChannel }
  | { kind: 'bought_product'; product: string }
  | { kind: 'bought_category'; category: string }
  /** Paid orders adding up to at least this, in minor units of the store currency. */
  | { kind: 'spent_over'; amount: number }
  /** No paid order in the last N days (customers who never ordered count as inactive). */
  | { kind: 'inactive_days'; days: number }
  | { kind: 'tag'; tag: string }
  /** At least one paid order in the last N days ("last month's buyers" is active:30). */
  | { kind: 'active_days'; days: number };

/** No rules: all subscribers. */
export interface Segment {
  rules: SegmentRule[];
}

export type SegmentParse = { ok: true; segment: Segment } | { ok: false; message: string };

const SYNTAX =
  'Write the segment as words separated by spaces: all, telegram, discord, bought:<product slug>, category:<category slug>, spent>50, inactive:30, active:30 (bought in the last 30 days), tag:<tag>';

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** "12.50" in a currency with 2 decimals → 1250; null for anything else. */
function minorUnits(text: string, exponent: number): number | null {
  const m = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text);
  if (!m?.[1]) return null;
  const frac = m[2] ?? '';
  if (frac.length > exponent) return null;
  return Number(m[1]) * 10 ** exponent + Number(frac.padEnd(exponent, '0') || '0');
}

/**
 * Parses what a seller types after /broadcast or in the segment step:
 * `all`, `telegram`, `bought:classic-hoodie`, `category:drinkware`,
 * `spent>50`, `inactive:30`, `tag:vip` — combined with spaces (all must hold).
 */
export function parseSegment(text: string, currencyExponent: number): SegmentParse {
  const rules: SegmentRule[] = [];
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  for (const w of words) {
    if (w === 'all' || w === 'everyone') continue;
    if (w === 'telegram' || w === 'discord') {
      rules.push({ kind: 'channel', channel: w });
      continue;
    }
    const [, key, sep, value = ''] = /^([a-z]+)([:>])(.*)$/.exec(w) ?? [];
    if (key === 'bought' && sep === ':' && SLUG.test(value)) rules.push({ kind: 'bought_product', product: value });
    else if (key === 'category' && sep === ':' && SLUG.test(value)) rules.push({ kind: 'bought_category', category: value });
    else if (key === 'tag' && sep === ':' && /^[\p{L}\p{N}_-]{1,40}$/u.test(value)) rules.push({ kind: 'tag', tag: value });
    else if (key === 'spent' && sep === '>') {
      const amount = minorUnits(value, currencyExponent);
      if (amount === null || amount <= 0) return { ok: false, message: `"${w}": spent> needs an amount, e.g. spent>50` };
      rules.push({ kind: 'spent_over', amount });
    } else if (key === 'inactive' && sep === ':') {
      const days = /^\d{1,4}$/.test(value) ? Number(value) : 0;
      if (days < 1 || days > 3650) return { ok: false, message: `"${w}": inactive: needs a number of days from 1 to 3650, e.g. inactive:30` };
      rules.push({ kind: 'inactive_days', days });
    } else if (key === 'active' && sep === ':') {
      const days = /^\d{1,4}$/.test(value) ? Number(value) : 0;
      if (days < 1 || days > 3650) return { ok: false, message: `"${w}": active: needs a number of days from 1 to 3650, e.g. active:30` };
      rules.push({ kind: 'active_days', days });
    } else return { ok: false, message: `"${w}" is not a segment rule. ${SYNTAX}` };
  }
  const channels = new Set(rules.flatMap((r) => (r.kind === 'channel' ? [r.channel] : [])));
  if (channels.size > 1) return { ok: false, message: 'Pick one channel, or none for both.' };
  return { ok: true, segment: { rules } };
}

/** The segment in plain words, for previews and the broadcast list. */
export function describeSegment(segment: Segment, money: (amount: number) => string): string {
  let where = '';
  const who: string[] = [];
  for (const r of segment.rules) {
    if (r.kind === 'channel') where = ` on ${r.channel}`;
    else if (r.kind === 'bought_product') who.push(`bought ${r.product}`);
    else if (r.kind === 'bought_category') who.push(`bought from ${r.category}`);
    else if (r.kind === 'spent_over') who.push(`spent at least ${money(r.amount)}`);
    else if (r.kind === 'inactive_days') who.push(`have not ordered in ${r.days} days`);
    else if (r.kind === 'active_days') who.push(`ordered in the last ${r.days} days`);
    else who.push(`are tagged ${r.tag}`);
  }
  return `${who.length ? 'subscribers' : 'all subscribers'}${where}${who.length ? ` who ${who.join(' and ')}` : ''}`;
}
