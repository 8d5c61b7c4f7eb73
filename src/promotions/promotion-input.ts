import { MAX_MINOR_UNITS } from '../shared/money.ts';
import type { PromotionKind, PromotionRule } from './promotion.types.ts';

/** What a seller sends to create a promotion (REST, or a chat draft). */
export interface PromotionInput {
  code: string;
  kind: PromotionKind;
  /** percent: 0.01–100; buy_x_get_y: off the free units (default 100, i.e. free). */
  percentOff?: number | undefined;
  /** fixed: minor units. */
  amountOff?: number | undefined;
  buyQuantity?: number | undefined;
  getQuantity?: number | undefined;
  minSubtotal?: number | undefined;
  productIds?: string[] | undefined;
  categoryIds?: string[] | undefined;
  firstOrderOnly?: boolean | undefined;
  perCustomerLimit?: number | undefined;
  totalLimit?: number | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  budget?: number | undefined;
  /** A sale that applies without a code (flash sales). */
  automatic?: boolean | undefined;
}

export type PromotionDraft = Omit<PromotionRule, 'id' | 'storeId' | 'active'>;

export interface InputIssue {
  path: string;
  message: string;
}

const CODE = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;

/** Normalises a typed code: trimmed, upper case ("spring20 " → "SPRING20"). */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

const positiveInt = (v: number | undefined, max: number): boolean => v === undefined || (Number.isSafeInteger(v) && v >= 1 && v <= max);

/** Percent with at most two decimals → basis points; null when out of (0, 100]. */
export function percentToBps(percent: number): number | null {
  const bps = Math.round(percent * 100);
  return Number.isFinite(percent) && Math.abs(percent * 100 - bps) < 1e-6 && bps >= 1 && bps <= 10000 ? bps : null;
}

/** Checks a promotion as a whole, so the seller sees every problem at once. */
export function validatePromotion(input: PromotionInput, currency: string): { ok: true; draft: PromotionDraft } | { ok: false; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });
  const code = normalizeCode(input.code);
  if (!CODE.test(code)) issue('code', 'must be 3-32 letters, digits, _ or -, starting with a letter or digit');

  let percentBps: number | null = null;
  if (input.kind === 'percent' || input.kind === 'buy_x_get_y') {
    const percent = input.percentOff ?? (input.kind === 'buy_x_get_y' ? 100 : undefined);
    percentBps = percent === undefined ? null : percentToBps(percent);
    if (percentBps === null) issue('percentOff', input.kind === 'percent' ? 'is required: more than 0 and at most 100, two decimals at most' : 'must be more than 0 and at most 100');
  }
  if (input.kind === 'fixed' && !(input.amountOff !== undefined && positiveInt(input.amountOff, MAX_MINOR_UNITS))) {
    issue('amountOff', 'is required for a fixed discount: a positive amount in minor units');
  }
  if (input.kind === 'buy_x_get_y') {
    if (input.buyQuantity === undefined || !positiveInt(input.buyQuantity, 100)) issue('buyQuantity', 'is required: 1 to 100 units');
    if (input.getQuantity === undefined || !positiveInt(input.getQuantity, 100)) issue('getQuantity', 'is required: 1 to 100 units');
  }
  if (input.kind !== 'fixed' && input.amountOff !== undefined) issue('amountOff', `does not apply to a ${input.kind} promotion`);
  if (input.kind !== 'percent' && input.kind !== 'buy_x_get_y' && input.percentOff !== undefined) issue('percentOff', `does not apply to a ${input.kind} promotion`);
  if (!positiveInt(input.minSubtotal, MAX_MINOR_UNITS)) issue('minSubtotal', 'must be a positive amount in minor units');
  if (!positiveInt(input.budget, MAX_MINOR_UNITS)) issue('budget', 'must be a positive amount in minor units');
  if (!positiveInt(input.perCustomerLimit, 1_000_000)) issue('perCustomerLimit', 'must be a whole number from 1');
  if (!positiveInt(input.totalLimit, 100_000_000)) issue('totalLimit', 'must be a whole number from 1');
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt) issue('endsAt', 'must be after startsAt');
  if ((input.productIds?.length ?? 0) + (input.categoryIds?.length ?? 0) > 500) issue('productIds', 'at most 500 products and categories');
  if (issues.length) return { ok: false, issues };

  return {
    ok: true,
    draft: {
      code,
      kind: input.kind,
      percentBps,
      amountOff: input.kind === 'fixed' ? (input.amountOff ?? null) : null,
      buyQuantity: input.kind === 'buy_x_get_y' ? (input.buyQuantity ?? null) : null,
      getQuantity: input.kind === 'buy_x_get_y' ? (input.getQuantity ?? null) : null,
      currency,
      minSubtotal: input.minSubtotal ?? null,
      productIds: [...new Set(input.productIds ?? [])],
      categoryIds: [...new Set(input.categoryIds ?? [])],
      firstOrderOnly: input.firstOrderOnly ?? false,
      perCustomerLimit: input.perCustomerLimit ?? null,
      totalLimit: input.totalLimit ?? null,
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      budget: input.budget ?? null,
      automatic: input.automatic ?? false,
    },
  };
}
