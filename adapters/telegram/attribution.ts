import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { identityOf } from './input.ts';
import type { Attribution } from './signed-link.ts';
import type { ShopContext, TelegramDeps } from './telegram.types.ts';

/**
 * Records the credit a verified deep link carries: the arriving shopper is
 * identified (a customer from first contact) and one attribution row is
 * written before the turn goes on. A failure propagates: the update has had
 * no effect yet, so its claim is given back and it is handled again.
 * Following one's own referral link earns nothing.
 */
export async function recordAttribution(ctx: ShopContext, deps: TelegramDeps, store: StoreRecord, a: Attribution): Promise<void> {
  const who = identityOf(ctx);
  if (!who) return;
  if (a.kind === 'referral' && a.referrer === who.externalUserId) {
    deps.log.info({ telegramUser: who.externalUserId }, 'own referral link followed; no credit');
    return;
  }
  const customer = await deps.customers.identify(
    store.id,
    { channel: 'telegram', externalUserId: who.externalUserId, chatId: who.chatId ?? null, username: who.username ?? null, locale: who.locale ?? null },
    { ...(who.displayName && { displayName: who.displayName }) },
  );
  await deps.attribution.record({
    storeId: store.id,
    kind: a.kind,
    customerId: customer.id,
    sessionKey: `telegram:${who.externalUserId}`,
    channel: 'telegram',
    productId: a.productId ?? null,
    ...(a.kind === 'campaign' ? { campaign: a.campaign } : { referrer: `telegram:${a.referrer}` }),
    source: a.kind === 'referral' && a.productId ? 'shared_product' : 'deep_link',
  });
  deps.log.info({ kind: a.kind, customer: customer.id, ...(a.kind === 'campaign' ? { campaign: a.campaign } : { referrer: a.referrer }) }, 'deep-link attribution recorded');
}
