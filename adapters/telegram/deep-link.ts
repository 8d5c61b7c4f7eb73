import { AppError } from '../../src/shared/errors.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { Attribution } from './signed-link.ts';
import type { ShopRef, TelegramDeps } from './telegram.types.ts';

const REF = /^[A-Za-z0-9_-]{1,40}$/;

/** t.me/<bot>?start=p_<product id or slug> (≤ 64 characters). */
export const productDeepLink = (botUsername: string, productId: string) => `https://t.me/${botUsername}?start=p_${productId}`;

/** t.me/<bot>?start=<signed payload> for a campaign or a referral (see signed-link.ts). */
export const signedDeepLink = (botUsername: string, deps: Pick<TelegramDeps, 'links'>, a: Attribution): string | null =>
  deps.links ? `https://t.me/${botUsername}?start=${deps.links.encode(a)}` : null;

export interface StartLink {
  /** The engine action to open (a product or category), or null for the menu. */
  action: string | null;
  /** Verified credit the link carries. */
  attribution?: Attribution | undefined;
}

/**
 * A /start payload: "p_<product id or slug>" opens the product, "c_<category
 * slug>" the category; signed campaign (g-…) and referral (r-…) payloads carry
 * credit and may open a product. A tampered signed payload counts as a plain
 * /start (logged); so does anything unknown, or a product that is gone.
 */
export async function resolveStart(payload: string, deps: TelegramDeps, shop: ShopRef): Promise<StartLink> {
  const text = payload.trim();
  if (/^[gr]-/.test(text)) {
    const signed = deps.links?.decode(text);
    if (!signed?.ok) {
      deps.log.warn({ payload: text.slice(0, 64), reason: signed ? signed.reason : 'signed links are off (no LINK_SECRET)' }, 'deep link not honoured; plain /start');
      return { action: null };
    }
    const a = signed.attribution;
    return { action: a.productId ? await productAction(a.productId, deps, shop) : null, attribution: a };
  }
  return { action: await deepLinkAction(text, deps, shop) };
}

/** The engine action for a plain p_/c_ payload, or null. */
export async function deepLinkAction(payload: string, deps: TelegramDeps, shop: ShopRef): Promise<string | null> {
  const m = /^([pc])_(.+)$/.exec(payload.trim());
  const ref = m?.[2];
  if (!m || !ref || !REF.test(ref)) return null;
  if (m[1] === 'p') return productAction(ref, deps, shop);
  const store = await shop.get();
  const cat = (await deps.catalog.listCategories(store.id)).find((c) => c.slug === ref || c.id === ref);
  return cat ? encodeAction({ op: 'category', id: cat.id, page: 0 }) : null;
}

async function productAction(ref: string, deps: TelegramDeps, shop: ShopRef): Promise<string | null> {
  const store = await shop.get();
  try {
    const p = await deps.catalog.product(store.id, ref);
    return encodeAction({ op: 'product', id: p.id });
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
