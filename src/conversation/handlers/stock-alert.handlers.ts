import { encodeAction } from '../actions.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import { titleOf, variantLabel } from '../render/cards.ts';

/**
 * "Notify me" on a sold-out variant: records the shopper's request (their
 * opt-in for this one alert) and confirms it; a stale button on a variant
 * that is back gets a button to the product instead.
 */
export async function notifyMe(deps: EngineDeps, ctx: TurnContext, variantId: string): Promise<Reply[]> {
  const { t } = ctx;
  const variant = await deps.catalog.variant(ctx.store.id, variantId);
  const product = variant ? await deps.catalog.product(ctx.store.id, variant.productId).catch(() => null) : null;
  if (!variant || !product) return [{ type: 'text', text: t.m.productGone() }];
  const title = product.variants.length > 1 ? `${titleOf(product, t)} (${variantLabel(variant)})` : titleOf(product, t);
  const open = [{ label: t.m.view(), action: encodeAction({ op: 'product', id: product.id }) }];
  if (!deps.stockAlerts) return [{ type: 'text', text: t.m.notifyMeUnavailable() }];
  const result = await deps.stockAlerts.notifyMe(ctx.store.id, ctx.customerId, ctx.channel, variant.id, product.id);
  deps.log.info({ customerId: ctx.customerId, variantId: variant.id, channel: ctx.channel, result }, 'back-in-stock alert request');
  switch (result) {
    case 'requested':
      return [{ type: 'text', text: t.m.notifyMeConfirmed({ title }) }];
    case 'already_requested':
      return [{ type: 'text', text: t.m.notifyMeAlready({ title }) }];
    case 'in_stock':
      return [{ type: 'text', text: t.m.notifyMeInStock({ title }), buttons: open }];
    case 'no_channel':
      return [{ type: 'text', text: t.m.notifyMeChatOnly() }];
    case 'switched_off':
      return [{ type: 'text', text: t.m.notifyMeUnavailable() }];
    case 'unknown_variant':
      return [{ type: 'text', text: t.m.productGone() }];
  }
}
