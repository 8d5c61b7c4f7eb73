import { availableOf, type ProductRecord } from '../../catalog/catalog.types.ts';
import { encodeAction } from '../actions.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import type { SearchRequest } from '../intents/intent.types.ts';
import { productList, titleOf } from '../render/cards.ts';
import { loadRatings } from './review.handlers.ts';
import type { SearchMemory } from '../state.ts';

const RELAXED_LIMIT = 30;

async function find(deps: EngineDeps, ctx: TurnContext, s: SearchMemory, limit: number, q = s.q) {
  return deps.search.products({
    storeId: ctx.store.id,
    q,
    category: s.category,
    minPrice: s.minPrice,
    maxPrice: s.maxPrice,
    options: s.options,
    sort: s.sort,
    limit,
    statuses: ['active'],
  });
}

/**
 * Nothing matched every word ("gift for a coffee lover"): rank products by how
 * many of the words they match, so the closest ones still show.
 */
async function relaxed(deps: EngineDeps, ctx: TurnContext, s: SearchMemory): Promise<ProductRecord[]> {
  const words = s.q.split(/\s+/).filter(Boolean);
  if (words.length < 2) return [];
  const hits = new Map<string, { p: ProductRecord; n: number; first: number }>();
  const pages = await Promise.all(words.map((w) => find(deps, ctx, s, RELAXED_LIMIT, w)));
  pages.forEach((page, wi) =>
    page.items.forEach((p, rank) => {
      const h = hits.get(p.id);
      if (h) h.n++;
      else hits.set(p.id, { p, n: 1, first: wi * 1000 + rank });
    }),
  );
  return [...hits.values()].sort((a, b) => b.n - a.n || a.first - b.first).map((h) => h.p);
}

export function filterText(req: Pick<SearchRequest, 'minPrice' | 'maxPrice' | 'filterLabels'>, ctx: TurnContext): string[] {
  const c = ctx.store.currency;
  const labels = [...req.filterLabels];
  if (req.minPrice !== undefined && req.maxPrice !== undefined) labels.unshift(`${ctx.t.money({ amount: req.minPrice, currency: c })}–${ctx.t.money({ amount: req.maxPrice, currency: c })}`);
  else if (req.maxPrice !== undefined) labels.unshift(`≤ ${ctx.t.money({ amount: req.maxPrice, currency: c })}`);
  else if (req.minPrice !== undefined) labels.unshift(`≥ ${ctx.t.money({ amount: req.minPrice, currency: c })}`);
  return labels;
}

export async function search(deps: EngineDeps, ctx: TurnContext, req: SearchRequest, original: string): Promise<Reply[]> {
  const s: SearchMemory = { q: req.q, category: req.category, minPrice: req.minPrice, maxPrice: req.maxPrice, options: req.options, sort: req.sort, page: 0 };
  return showPage(deps, ctx, s, original, filterText(req, ctx));
}

export async function more(deps: EngineDeps, ctx: TurnContext): Promise<Reply[] | null> {
  const s = ctx.memory.lastSearch;
  if (!s) return null;
  return showPage(deps, ctx, { ...s, page: s.page + 1 }, s.q, []);
}

async function showPage(deps: EngineDeps, ctx: TurnContext, s: SearchMemory, label: string, filters: string[]): Promise<Reply[]> {
  const size = ctx.caps.pageSize;
  const found = await find(deps, ctx, s, size * (s.page + 1) + 1);
  let items = found.items.slice(s.page * size, (s.page + 1) * size);
  let title = ctx.t.m.resultsTitle({ query: label, count: found.items.length });
  if (found.items.length === 0 && s.page === 0) {
    const near = await relaxed(deps, ctx, s);
    items = near.slice(0, size);
    title = ctx.t.m.relaxed({ query: label });
  }
  if (s.page === 0) deps.events.record({ storeId: ctx.store.id, type: 'search', customerId: ctx.customerId, sessionKey: ctx.sessionKey, query: label, resultCount: items.length, channel: ctx.channel });
  ctx.memory.lastSearch = s;
  if (items.length === 0) {
    ctx.memory.lastResults = [];
    return [{ type: 'text', text: ctx.t.m.noResults({ query: label }) }];
  }
  ctx.memory.lastResults = items.map((p) => p.id);
  const hasMore = found.items.length > (s.page + 1) * size;
  const moreButton = hasMore ? { label: ctx.t.m.morePage(), action: encodeAction({ op: 'more', page: s.page + 1 }) } : null;
  const replies: Reply[] = [];
  if (filters.length) replies.push({ type: 'text', text: ctx.t.m.filtersNote({ filters: filters.join(', ') }) });
  await loadRatings(deps, ctx, items);
  replies.push(productList(title, items, ctx, moreButton));
  return replies;
}

/** Side by side: price, availability, category and each option. */
export async function compare(deps: EngineDeps, ctx: TurnContext, req: SearchRequest | null): Promise<Reply[]> {
  let products: ProductRecord[];
  if (req) {
    products = (await find(deps, ctx, { ...req, page: 0 }, 4)).items;
  } else {
    const ids = (ctx.memory.lastResults ?? []).slice(0, 4);
    products = (await Promise.all(ids.map((id) => deps.catalog.product(ctx.store.id, id).catch(() => null)))).filter((p): p is ProductRecord => p !== null);
  }
  if (products.length < 2) return [{ type: 'text', text: ctx.t.m.compareNeedTwo() }];
  const { t } = ctx;
  const optionNames = [...new Set(products.flatMap((p) => p.variants.flatMap((v) => Object.keys(v.options))))].sort();
  const rows = [
    { label: t.m.comparePrice(), values: products.map((p) => t.money({ amount: p.minPrice, currency: p.currency })) },
    { label: t.m.compareAvailability(), values: products.map((p) => String(p.variants.reduce((n, v) => n + availableOf(v), 0))) },
    { label: t.m.compareCategory(), values: products.map((p) => p.category?.name ?? '—') },
    ...optionNames.map((name) => ({
      label: t.m.compareOptions({ name }),
      values: products.map((p) => [...new Set(p.variants.map((v) => v.options[name]).filter(Boolean))].join(', ') || '—'),
    })),
  ];
  ctx.memory.lastResults = products.map((p) => p.id);
  return [
    {
      type: 'compare',
      title: t.m.compareTitle(),
      columns: products.map((p) => titleOf(p, t)),
      rows,
      buttons: products.map((p) => ({ label: titleOf(p, t), action: encodeAction({ op: 'product', id: p.id }) })),
    },
  ];
}

