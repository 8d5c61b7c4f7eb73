import type { CodeRefusal } from '../../cart/cart.ports.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import { cartReply } from '../render/cards.ts';

/** "code SPRING20", "promo code: spring20", "优惠码 SPRING20". */
export const CODE_TEXT = /^(?:promo(?:\s*code)?|code|coupon|voucher|优惠码|折扣码)\s*[:：]?\s*([A-Za-z0-9_-]{3,32})$/i;

/** A refusal in the shopper's language. */
export function refusalReason(ctx: TurnContext, r: CodeRefusal): string {
  return ctx.t.m.refusal({
    code: r.code,
    min: ctx.t.money({ amount: r.minSubtotal ?? 0, currency: ctx.store.currency }),
    date: r.at ? ctx.t.date(r.at) : '',
  });
}

/** Applies a typed promo code to the shopper's cart, or says why it cannot be used. */
export async function applyCode(deps: EngineDeps, ctx: TurnContext, code: string): Promise<Reply[]> {
  const typed = code.trim().toUpperCase();
  if (!/^[A-Z0-9_-]{3,32}$/.test(typed)) return [{ type: 'text', text: ctx.t.m.codeUsage() }];
  const cartId = await deps.carts.openId(ctx.store, { customerId: ctx.customerId, channel: ctx.channel });
  const r = await deps.carts.applyPromotion(ctx.store.id, cartId, typed);
  if (!r.ok) {
    const refusal = (r.details as { refusal?: CodeRefusal } | undefined)?.refusal;
    return [{ type: 'text', text: ctx.t.m.codeRefused({ code: typed, reason: refusal ? refusalReason(ctx, refusal) : r.message }) }];
  }
  return [{ type: 'text', text: ctx.t.m.codeApplied({ code: typed }) }, cartReply(r.value, ctx)];
}

export async function removeCode(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  const cartId = await deps.carts.openId(ctx.store, { customerId: ctx.customerId, channel: ctx.channel });
  const r = await deps.carts.removePromotion(ctx.store.id, cartId);
  return r.ok ? [{ type: 'text', text: ctx.t.m.codeRemoved() }, cartReply(r.value, ctx)] : [{ type: 'text', text: r.message }];
}
