import type { AutomationSettings } from '../automation-settings.ts';
import type { AutomationRepository, AutomationTriggers, PlannedMessage, ProductLookup } from '../automation.ports.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Carts older than this when the automation looks are not reminded (switching it on does not wake last year's carts). */
export const CART_LOOKBACK_DAYS = 7;
/** Orders delivered longer ago than the delay plus this are not asked for a review. */
export const REVIEW_WINDOW_DAYS = 30;
/** Price-drop alerts go to subscribers who viewed the product this recently. */
export const VIEW_LOOKBACK_DAYS = 30;

/**
 * Decides, per store and switched-on automation, which messages are due and
 * plans each once (the repository ignores a trigger planned before).
 */
export class AutomationPlanner {
  constructor(
    private readonly repo: AutomationRepository,
    private readonly triggers: AutomationTriggers,
    private readonly productOf: ProductLookup,
  ) {}

  async plan(storeId: string, s: AutomationSettings, now: Date): Promise<number> {
    const t = now.getTime();
    let planned = 0;
    if (s.abandonedCart.enabled) {
      const carts = await this.triggers.abandonedCarts(storeId, new Date(t - s.abandonedCart.delayMinutes * MINUTE), new Date(t - CART_LOOKBACK_DAYS * DAY));
      planned += await this.repo.plan(carts);
    }
    if (s.reviewRequest.enabled) {
      const due = new Date(t - s.reviewRequest.delayDays * DAY);
      const orders = await this.triggers.deliveredOrders(storeId, due, new Date(due.getTime() - REVIEW_WINDOW_DAYS * DAY));
      planned += await this.repo.plan(orders);
    }
    if (s.backInStock.enabled) planned += await this.restocked(storeId, now);
    if (s.priceDrop.enabled) planned += await this.priceDrops(storeId, now);
    return planned;
  }

  /** Waiting "Notify me" requests whose variant has stock again: one alert each, and the request is done. */
  private async restocked(storeId: string, now: Date): Promise<number> {
    const waiting = await this.triggers.waitingStockAlerts(storeId);
    const products = new Map<string, Awaited<ReturnType<ProductLookup>>>();
    const due: PlannedMessage[] = [];
    const done: string[] = [];
    for (const r of waiting) {
      if (!products.has(r.productId)) products.set(r.productId, await this.productOf(storeId, r.productId));
      const variant = products.get(r.productId)?.variants.find((v) => v.id === r.variantId);
      if (!variant || variant.available <= 0) continue;
      const address = await this.repo.addressOf(r.customerId, r.channel);
      done.push(r.id);
      if (address) due.push({ storeId, kind: 'back_in_stock', triggerKey: r.id, customerId: r.customerId, channel: r.channel, address, subjectId: r.id });
    }
    const planned = await this.repo.plan(due);
    await this.triggers.completeStockAlerts(done, now);
    return planned;
  }

  private async priceDrops(storeId: string, now: Date): Promise<number> {
    let planned = 0;
    const since = new Date(now.getTime() - VIEW_LOOKBACK_DAYS * DAY);
    for (const drop of await this.triggers.detectPriceDrops(storeId, now)) {
      const viewers = await this.triggers.recentViewers(storeId, drop.productId, since);
      planned += await this.repo.plan(
        viewers.map((v) => ({ storeId, kind: 'price_drop' as const, triggerKey: `${drop.id}:${v.customerId}`, customerId: v.customerId, channel: v.channel, address: v.address, subjectId: drop.id })),
      );
      await this.triggers.markDropPlanned(drop.id, now);
    }
    return planned;
  }
}
