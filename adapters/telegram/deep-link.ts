import { AppError } from '../../src/shared/errors.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { ShopRef, TelegramDeps } from './telegram.types.ts';

const REF = /^[A-Za-z0-9_-]{1,40}$/;

/** t.me/<bot>?start=p_<product id or slug> (≤ 64 characters). */
export const productDeepLink = (botUsername: string, productId: string) => `https://t.me/${botUsername}?start=p_${productId}`;

/**
 * A /start payload as an engine action: "p_<product id or slug>" opens the
 * product, "c_<category slug>" the category. Anything else (or a product or
 * category that is gone) is null, and the shopper gets the menu.
 */
export async function deepLinkAction(payload: string, deps: TelegramDeps, shop: ShopRef): Promise<string | null> {
  const m = /^([pc])_(.+)$/.exec(payload.trim());
  const ref = m?.[2];
  if (!m || !ref || !REF.test(ref)) return null;
  const store = await shop.get();
  if (m[1] === 'p') {
    try {
      const p = await deps.catalog.product(store.id, ref);
      return encodeAction({ op: 'product', id: p.id });
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }
  const cat = (await deps.catalog.listCategories(store.id)).find((c) => c.slug === ref || c.id === ref);
  return cat ? encodeAction({ op: 'category', id: cat.id, page: 0 }) : null;
}
