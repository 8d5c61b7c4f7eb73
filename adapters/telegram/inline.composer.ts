import { type Composer, InlineKeyboard } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { availableOf } from '../../src/catalog/catalog.types.ts';
import { stockHint, titleOf } from '../../src/conversation/render/cards.ts';
import { productDeepLink, signedDeepLink } from './deep-link.ts';
import { clip, escapeHtml } from './html.ts';
import { translatorFor } from './locale.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

const RESULTS = 10;

/**
 * Inline mode: "@shopbot hoodie" in any chat offers products; the posted card
 * has a "Buy" button deep-linking to the product in a private chat with the bot,
 * signed with the sharer's referral so the sale can be credited to them.
 */
export function inlineComposer(deps: TelegramDeps, shop: ShopRef): Composer<ShopContext> {
  const c = new ShopComposer();
  c.on('inline_query', async (ctx) => {
    const store = await shop.get();
    const t = await translatorFor(shop, ctx.from.language_code);
    const q = ctx.inlineQuery.query.trim().slice(0, 100);
    // The Buy link carries the sharer's signed referral; without a link secret, a plain product link.
    const sharer = String(ctx.from.id);
    const buyLink = (productId: string) => {
      try {
        return signedDeepLink(ctx.me.username, deps, { kind: 'referral', referrer: sharer, productId }) ?? productDeepLink(ctx.me.username, productId);
      } catch {
        return productDeepLink(ctx.me.username, productId);
      }
    };
    const page = await deps.search.products({ storeId: store.id, q: q || undefined, sort: q ? 'relevance' : 'newest', limit: RESULTS, statuses: ['active'] });
    const results: InlineQueryResultArticle[] = page.items.map((p) => {
      const title = titleOf(p, t);
      const price = t.money({ amount: p.minPrice, currency: p.currency });
      const hint = stockHint(p.variants.reduce((n, v) => n + availableOf(v), 0), t);
      const description = p.translations[t.locale]?.description ?? p.description;
      const image = p.images[0]?.url;
      return {
        type: 'article',
        id: p.id.slice(0, 64),
        title,
        description: `${price} · ${hint}`,
        ...(image && { thumbnail_url: image }),
        input_message_content: {
          message_text: [`<b>${escapeHtml(title)}</b> — ${escapeHtml(price)}`, escapeHtml(clip(description, 600))].filter(Boolean).join('\n'),
          parse_mode: 'HTML',
          link_preview_options: image ? { url: image, prefer_small_media: true } : { is_disabled: true },
        },
        reply_markup: new InlineKeyboard().url(t.m.buy(), buyLink(p.id)),
      };
    });
    ctx.turn.committed = true;
    await ctx.answerInlineQuery(results, { cache_time: 30, is_personal: false });
  });
  return c;
}
