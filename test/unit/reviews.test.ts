import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../src/conversation/actions.ts';
import type { RatingSummary, ReviewableOrder, ReviewRecord, ReviewRepository } from '../../src/reviews/reviews.ports.ts';
import { ReviewService } from '../../src/reviews/reviews.service.ts';

/** Reviews in a Map, keyed like the database's unique (order, product). */
class MemoryReviews implements ReviewRepository {
  readonly rows = new Map<string, ReviewRecord>();
  constructor(private readonly orders: ReviewableOrder[]) {}
  reviewableOrder(_storeId: string, orderId: string) {
    const o = this.orders.find((x) => x.id === orderId);
    const rated = [...this.rows.values()].filter((r) => r.orderId === orderId).map((r) => r.productId);
    return Promise.resolve(o ? { ...o, rated } : null);
  }
  upsertRating(i: { storeId: string; productId: string; orderId: string; customerId: string; rating: number }) {
    const key = `${i.orderId}|${i.productId}`;
    const had = this.rows.get(key);
    const now = new Date();
    const review: ReviewRecord = had
      ? { ...had, rating: i.rating, updatedAt: now }
      : { id: `r${this.rows.size + 1}`, ...i, text: null, createdAt: now, updatedAt: now };
    this.rows.set(key, review);
    return Promise.resolve({ review, created: !had });
  }
  setText(_storeId: string, reviewId: string, customerId: string, text: string) {
    const r = [...this.rows.values()].find((x) => x.id === reviewId && x.customerId === customerId);
    if (r) r.text = text;
    return Promise.resolve(r ?? null);
  }
  summaries(): Promise<Map<string, RatingSummary>> {
    return Promise.resolve(new Map());
  }
  list() {
    return Promise.resolve({ items: [...this.rows.values()], nextCursor: null });
  }
}

const cuid = (c: string) => `c${c.repeat(24)}`;

describe('the rate button payload', () => {
  it('round-trips, fits Telegram callback_data with real ids, and refuses stars outside 1–5', () => {
    const a = { op: 'rate' as const, orderId: cuid('o'), productId: cuid('p'), stars: 4 };
    const payload = encodeAction(a);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(64);
    expect(decodeAction(payload)).toEqual(a);
    expect(decodeAction(`1R:${cuid('o')}:${cuid('p')}:0`)).toBeNull();
    expect(decodeAction(`1R:${cuid('o')}:${cuid('p')}:6`)).toBeNull();
    expect(decodeAction(`1R:${cuid('o')}:4`)).toBeNull();
  });
});

describe('ReviewService', () => {
  const order = (status: string, customerId = 'ann'): ReviewableOrder => ({
    id: `o-${status}`,
    number: 1001,
    customerId,
    status,
    products: [{ id: 'mug', title: 'Classic Mug' }],
    rated: [],
  });
  const service = () => {
    const repo = new MemoryReviews([order('delivered'), order('fulfilled'), order('paid'), { ...order('delivered', 'bob'), id: 'o-bob' }]);
    return { repo, reviews: new ReviewService(repo) };
  };

  it('rates the own delivered or fulfilled order once per product, a second rating updating it', async () => {
    const { repo, reviews } = service();
    const first = await reviews.rate('s', 'ann', { orderId: 'o-delivered', productId: 'mug', rating: 4 });
    expect(first).toMatchObject({ ok: true, value: { created: true, productTitle: 'Classic Mug', review: { rating: 4 } } });
    const again = await reviews.rate('s', 'ann', { orderId: 'o-delivered', productId: 'mug', rating: 2 });
    expect(again).toMatchObject({ ok: true, value: { created: false, review: { rating: 2 } } });
    expect((await reviews.rate('s', 'ann', { orderId: 'o-fulfilled', productId: 'mug', rating: 5 })).ok).toBe(true);
    expect(repo.rows.size).toBe(2);
  });

  it('offers the next product of the order not rated yet, one at a time, until all are', async () => {
    const repo = new MemoryReviews([
      { ...order('delivered'), products: [{ id: 'mug', title: 'Classic Mug' }, { id: 'kettle', title: 'Kettle' }, { id: 'press', title: 'French Press' }] },
    ]);
    const reviews = new ReviewService(repo);
    const next = async (productId: string) => {
      const r = await reviews.rate('s', 'ann', { orderId: 'o-delivered', productId, rating: 5 });
      return r.ok ? r.value.next : 'refused';
    };
    expect(await next('kettle')).toEqual({ id: 'mug', title: 'Classic Mug' });
    expect(await next('mug')).toEqual({ id: 'press', title: 'French Press' });
    // Changing a rating still points at what is left; once all are rated, nothing.
    expect(await next('mug')).toEqual({ id: 'press', title: 'French Press' });
    expect(await next('press')).toBeNull();
  });

  it("refuses someone else's order, a product not in it, an order not received yet and stars out of range", async () => {
    const { repo, reviews } = service();
    const refused: [{ orderId: string; productId: string; rating: number }, string][] = [
      [{ orderId: 'o-bob', productId: 'mug', rating: 5 }, 'NOT_FOUND'],
      [{ orderId: 'o-delivered', productId: 'kettle', rating: 5 }, 'NOT_FOUND'],
      [{ orderId: 'o-paid', productId: 'mug', rating: 5 }, 'CONFLICT'],
      [{ orderId: 'o-delivered', productId: 'mug', rating: 6 }, 'VALIDATION_FAILED'],
    ];
    for (const [input, code] of refused) expect(await reviews.rate('s', 'ann', input)).toMatchObject({ ok: false, code });
    expect(repo.rows.size).toBe(0);
  });

  it('keeps words up to 1000 characters, only on the own review', async () => {
    const { reviews } = service();
    const rated = await reviews.rate('s', 'ann', { orderId: 'o-delivered', productId: 'mug', rating: 5 });
    const id = rated.ok ? rated.value.review.id : '';
    expect(await reviews.comment('s', 'ann', id, 'x'.repeat(1001))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(await reviews.comment('s', 'bob', id, 'Mine now')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await reviews.comment('s', 'ann', id, '  Great mug  ')).toMatchObject({ ok: true, value: { text: 'Great mug' } });
  });
});
