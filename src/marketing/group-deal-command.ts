import { parseDecimal } from '../shared/money.ts';

export const GROUPBUY_USAGE = [
  'Group deal: /groupbuy <product slug or SKU> <group price> <min people> for <6h | 2d> [in <chat id or @channel>]',
  'Posts the deal with Join and Leave buttons; when enough people join before the end, each gets a checkout at the group price in a private chat, otherwise nobody is charged.',
  'In a group: /groupbuy@<bot> classic-mug 9.90 5 for 2d. From the private chat: /groupbuy classic-mug 9.90 5 for 2d in -1001234567890',
].join('\n');

export interface GroupBuySpec {
  product: string;
  groupPrice: number;
  minPeople: number;
  durationMs: number;
  /** The chat named with "in …", if any. */
  target: string | null;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 24 * 3600_000 };

/** Reads "/groupbuy" arguments; a string names what could not be read. */
export function parseGroupBuy(args: string, currency: string): GroupBuySpec | string {
  const m = /^(\S{1,120})\s+(\S+)\s+(\d{1,4})\s+for\s+(\d{1,4})\s*([mhd])(?:\s+in\s+(-?\d{5,20}|@[A-Za-z0-9_]{5,32}))?$/i.exec(args.trim());
  if (!m?.[1] || !m[2] || !m[3] || !m[4] || !m[5]) return args.trim() ? `Could not read "${args.trim()}".\n\n${GROUPBUY_USAGE}` : GROUPBUY_USAGE;
  const groupPrice = parseDecimal(m[2], currency);
  if (groupPrice === null || groupPrice <= 0) return `"${m[2]}" is not a price in ${currency}.\n\n${GROUPBUY_USAGE}`;
  return { product: m[1], groupPrice, minPeople: Number(m[3]), durationMs: Number(m[4]) * (UNIT_MS[m[5].toLowerCase()] ?? 0), target: m[6] ?? null };
}
