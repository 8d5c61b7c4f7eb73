import type { ProductSignals, ShopperHistory } from './recommendations.ports.ts';

/** Categories next to one: its parent, its children and its siblings. */
export function relatedCategories(tree: { id: string; parentId: string | null }[], categoryId: string | null): string[] {
  if (!categoryId) return [];
  const parentId = tree.find((c) => c.id === categoryId)?.parentId ?? null;
  return tree
    .filter(
      (c) => c.id !== categoryId && (c.id === parentId || c.parentId === categoryId || (parentId !== null && c.parentId === parentId)),
    )
    .map((c) => c.id);
}

export interface Scored {
  signals: ProductSignals;
  score: number;
  /** Shown only when nothing better fills the list (e.g. near in price, nothing else shared). */
  weak: boolean;
}

/**
 * Best first: relevant and in stock, relevant but sold out, then weak matches in
 * stock; higher score, then the given tie-break, then id, so results are stable.
 */
export function rank(items: Scored[], tieBreak: (a: ProductSignals, b: ProductSignals) => number = () => 0): ProductSignals[] {
  const tier = (s: Scored) => (s.weak ? 2 : 0) + (s.signals.inStock ? 0 : 1);
  return items
    .filter((s) => !(s.weak && !s.signals.inStock))
    .sort((a, b) => tier(a) - tier(b) || b.score - a.score || tieBreak(a.signals, b.signals) || a.signals.id.localeCompare(b.signals.id))
    .map((s) => s.signals);
}

/** "Similar": same category (4), a related one (1.5), each shared tag (1), closeness in price (0..1). */
export function similarity(source: ProductSignals, related: Set<string>, c: ProductSignals): Scored {
  const category = c.categoryId === null ? 0 : c.categoryId === source.categoryId ? 4 : related.has(c.categoryId) ? 1.5 : 0;
  const sourceTags = new Set(source.tags);
  const shared = c.tags.filter((t) => sourceTags.has(t)).length;
  return { signals: c, score: category + shared + priceCloseness(source.minPrice, c.minPrice), weak: category === 0 && shared === 0 };
}

export function priceCloseness(a: number, b: number): number {
  return 1 - Math.min(1, Math.abs(a - b) / Math.max(a, b, 1));
}

const historyWeight = { view: 1, add_to_cart: 2, purchase: 3 } as const;

export interface Affinity {
  categories: Map<string, number>;
  tags: Map<string, number>;
}

/** Category and tag weights from what the shopper looked at, put in a cart and bought. */
export function affinityOf(history: ShopperHistory, signals: Map<string, ProductSignals>): Affinity {
  const categories = new Map<string, number>();
  const tags = new Map<string, number>();
  const add = (productId: string, w: number) => {
    const s = signals.get(productId);
    if (!s) return;
    if (s.categoryId) categories.set(s.categoryId, (categories.get(s.categoryId) ?? 0) + w);
    for (const t of s.tags) tags.set(t, (tags.get(t) ?? 0) + w);
  };
  for (const e of history.events) add(e.productId, historyWeight[e.type]);
  for (const id of history.purchased) add(id, historyWeight.purchase);
  return { categories, tags };
}

/** Affinity score: the category's weight counts double, each tag's weight once; items already seen count half. */
export function affinityScore(a: Affinity, seen: Set<string>, c: ProductSignals): Scored {
  const category = c.categoryId ? (a.categories.get(c.categoryId) ?? 0) : 0;
  const tags = c.tags.reduce((n, t) => n + (a.tags.get(t) ?? 0), 0);
  const score = (2 * category + tags) * (seen.has(c.id) ? 0.5 : 1);
  return { signals: c, score, weak: score === 0 };
}

/** Heaviest keys first (then alphabetical), at most n. */
export function topKeys(m: Map<string, number>, n: number): string[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([k]) => k);
}
