import { encodeAction } from '../actions.ts';
import type { Button, Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import { productList } from '../render/cards.ts';
import { loadRatings } from './review.handlers.ts';

export function menuButtons(ctx: TurnContext): Button[] {
  const { t } = ctx;
  return [
    { label: t.m.menuBrowse(), action: encodeAction({ op: 'categories' }) },
    { label: t.m.menuPopular(), action: encodeAction({ op: 'recommend', productId: null }) },
    { label: t.m.menuCart(), action: encodeAction({ op: 'cart' }) },
    { label: t.m.menuOrders(), action: encodeAction({ op: 'orders' }) },
    { label: t.m.menuHelp(), action: encodeAction({ op: 'help' }) },
  ];
}

export function greet(ctx: TurnContext): Reply[] {
  return [{ type: 'text', text: ctx.t.m.greeting({ store: ctx.store.name }), buttons: menuButtons(ctx) }];
}

export function help(ctx: TurnContext): Reply[] {
  return [{ type: 'text', text: ctx.t.m.help(), buttons: menuButtons(ctx) }];
}

export async function categories(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  const all = await deps.catalog.listCategories(ctx.store.id);
  const top = all.filter((c) => c.parentId === null);
  if (top.length === 0) return [{ type: 'text', text: ctx.t.m.noCategories() }];
  const shown = [...top, ...all.filter((c) => c.parentId !== null)].slice(0, ctx.caps.maxButtons);
  return [
    {
      type: 'text',
      text: ctx.t.m.categoriesTitle(),
      buttons: shown.map((c) => ({ label: c.name, action: encodeAction({ op: 'category', id: c.id, page: 0 }) })),
    },
  ];
}

/** One page of a category (and its sub-categories), newest first; "More" pages on. */
export async function category(deps: EngineDeps, ctx: TurnContext, id: string, page: number): Promise<Reply[] | null> {
  const all = await deps.catalog.listCategories(ctx.store.id);
  const cat = all.find((c) => c.id === id);
  if (!cat) return null;
  const size = ctx.caps.pageSize;
  const found = await deps.search.products({ storeId: ctx.store.id, category: cat.slug, sort: 'newest', limit: size * (page + 1) + 1, statuses: ['active'] });
  const items = found.items.slice(page * size, (page + 1) * size);
  ctx.memory.lastResults = items.map((p) => p.id);
  ctx.memory.lastCategoryId = cat.id;
  const more = found.items.length > (page + 1) * size ? { label: ctx.t.m.morePage(), action: encodeAction({ op: 'category', id: cat.id, page: page + 1 }) } : null;
  await loadRatings(deps, ctx, items);
  return [productList(ctx.t.m.categoryTitle({ name: cat.name }), items, ctx, more)];
}
