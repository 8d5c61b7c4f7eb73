import type { ProductRecord } from '../catalog/catalog.types.ts';
import type { Clock } from '../shared/time.ts';
import type { ProductSignals, RecommendationRepository, Shopper } from './recommendations.ports.ts';
import { affinityOf, affinityScore, rank, relatedCategories, similarity, topKeys } from './scoring.ts';

const DEFAULT_LIMIT = 8;
const MAX_LIMIT = 50;
/** Candidates scored for "similar" and personal picks; the database narrows them first. */
const CANDIDATE_WINDOW = 300;
const PRICE_WINDOW = 50;
/** Popularity looks back this far unless told otherwise. */
const POPULAR_DAYS = 30;
/** A unit sold weighs as much as this many product views. */
const POPULAR_WEIGHTS = { unit: 5, view: 1 };
/** Recent views and add-to-carts that shape personal picks. */
const HISTORY_EVENTS = 50;
const AFFINITY_KEYS = 10;

const clamp = (limit: number | undefined) => Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
const uniq = (ids: string[]) => [...new Set(ids)];

/**
 * "You may also like", popular items and personal picks. Every method takes
 * product ids (not slugs), returns active products only, best first, and
 * never more than `limit` (1..50, default 8). Co-purchases and popularity
 * are aggregated in the database; similarity and affinity are scored here over
 * a bounded set of candidates the database selected.
 */
export class RecommendationService {
  constructor(
    private readonly repo: RecommendationRepository,
    private readonly clock: Clock,
  ) {}

  /** Same category, a related one, shared tags or a close price; in-stock products first. */
  async similar(storeId: string, productId: string, limit?: number): Promise<ProductRecord[]> {
    return this.repo.products(storeId, await this.similarIds(storeId, productId, clamp(limit)));
  }

  /** Products most often in the same paid (or later) orders as this one. */
  async boughtTogether(storeId: string, productId: string, limit?: number): Promise<ProductRecord[]> {
    return this.repo.products(storeId, await this.boughtTogetherIds(storeId, productId, clamp(limit)));
  }

  /** Bought-together first, then similar, without repeats. */
  async youMayAlsoLike(storeId: string, productId: string, limit?: number): Promise<ProductRecord[]> {
    const n = clamp(limit);
    // Twice as many similar ones, so repeats of bought-together ones still leave enough.
    const [together, similar] = await Promise.all([
      this.boughtTogetherIds(storeId, productId, n),
      this.similarIds(storeId, productId, 2 * n),
    ]);
    return this.repo.products(storeId, uniq([...together, ...similar]).slice(0, n));
  }

  /** Units sold and views since `since` (default: the last 30 days), topped up with the newest products. */
  async popular(storeId: string, limit?: number, since?: Date): Promise<ProductRecord[]> {
    return this.repo.products(storeId, await this.popularIds(storeId, clamp(limit), since, new Set()));
  }

  /**
   * Picks from the shopper's recent views, add-to-carts and purchases (category
   * and tag affinity), never something the shopper already bought; topped up
   * with popular products. A shopper with no history gets popular products.
   */
  async forShopper(storeId: string, shopper: Shopper, limit?: number): Promise<ProductRecord[]> {
    const n = clamp(limit);
    const history = await this.repo.shopperHistory(storeId, shopper, HISTORY_EVENTS);
    const bought = new Set(history.purchased);
    const seen = new Set(history.events.map((e) => e.productId));
    const signals = await this.repo.signals(storeId, uniq([...seen, ...history.purchased]).slice(0, CANDIDATE_WINDOW));
    const affinity = affinityOf(history, new Map(signals.map((s) => [s.id, s])));
    let picks: string[] = [];
    if (affinity.categories.size || affinity.tags.size) {
      const candidates = await this.repo.candidates(storeId, {
        categoryIds: topKeys(affinity.categories, AFFINITY_KEYS),
        tags: topKeys(affinity.tags, AFFINITY_KEYS),
        excludeIds: [...bought],
        limit: CANDIDATE_WINDOW,
      });
      const scored = candidates.filter((c) => !bought.has(c.id)).map((c) => affinityScore(affinity, seen, c));
      picks = rank(
        scored.filter((s) => !s.weak),
        newestFirst,
      )
        .map((s) => s.id)
        .slice(0, n);
    }
    if (picks.length < n) picks.push(...(await this.popularIds(storeId, n - picks.length, undefined, new Set([...bought, ...picks]))));
    return this.repo.products(storeId, picks);
  }

  private async similarIds(storeId: string, productId: string, n: number): Promise<string[]> {
    const [source] = await this.repo.signals(storeId, [productId]);
    if (!source) return [];
    const related = relatedCategories(await this.repo.categoryTree(storeId), source.categoryId);
    const exclude = [productId];
    const [close, nearInPrice] = await Promise.all([
      this.repo.candidates(storeId, {
        categoryIds: source.categoryId ? [source.categoryId, ...related] : [],
        tags: source.tags,
        excludeIds: exclude,
        limit: CANDIDATE_WINDOW,
      }),
      this.repo.candidates(storeId, {
        categoryIds: [],
        tags: [],
        priceBand: { min: Math.floor(source.minPrice * 0.6), max: Math.ceil(source.minPrice * 1.4) },
        excludeIds: exclude,
        limit: PRICE_WINDOW,
      }),
    ]);
    const candidates = new Map([...nearInPrice, ...close].map((c) => [c.id, c]));
    const relatedSet = new Set(related);
    const scored = [...candidates.values()].map((c) => similarity(source, relatedSet, c));
    const byPriceDistance = (a: ProductSignals, b: ProductSignals) =>
      Math.abs(a.minPrice - source.minPrice) - Math.abs(b.minPrice - source.minPrice);
    return rank(scored, byPriceDistance)
      .slice(0, n)
      .map((s) => s.id);
  }

  private async boughtTogetherIds(storeId: string, productId: string, n: number): Promise<string[]> {
    return (await this.repo.coPurchased(storeId, productId, n)).map((r) => r.productId);
  }

  private async popularIds(storeId: string, n: number, since: Date | undefined, exclude: Set<string>): Promise<string[]> {
    const from = since ?? new Date(this.clock.now().getTime() - POPULAR_DAYS * 24 * 3600 * 1000);
    const ranked = await this.repo.trending(storeId, from, n + Math.min(exclude.size, 100), POPULAR_WEIGHTS);
    const ids = ranked
      .map((r) => r.productId)
      .filter((id) => !exclude.has(id))
      .slice(0, n);
    if (ids.length < n) ids.push(...(await this.repo.newest(storeId, n - ids.length, [...exclude, ...ids])));
    return ids;
  }
}

const newestFirst = (a: ProductSignals, b: ProductSignals) => b.createdAt.getTime() - a.createdAt.getTime();
