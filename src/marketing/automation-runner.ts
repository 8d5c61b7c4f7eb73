import { encodeAction } from '../conversation/actions.ts';
import type { Logger } from '../shared/logger.ts';
import { formatMoney } from '../shared/money.ts';
import type { Clock } from '../shared/time.ts';
import { automationSettingsOf, type AutomationSettings } from './automation-settings.ts';
import type { AutomationRepository, AutomationSubject, AutomationSubjects, AutomationTriggers, ClaimedMessage, MessageResult, ProductLookup } from './automation.ports.ts';
import { AutomationPlanner } from './automations/planner.ts';
import { automationTexts, itemsText } from './automations/texts.ts';
import type { AudienceState, MarketingSender } from './broadcast.ports.ts';
import type { BroadcastMessage } from './broadcast.types.ts';
import { gate, type ConsentState, type StoreMessagingRules } from './consent-gate.ts';

export interface AutomationRunnerOptions {
  rules: StoreMessagingRules;
  /** Transient errors are retried this many times in all. */
  maxAttempts?: number | undefined;
  /** How long a claimed message may take before it counts as interrupted. */
  leaseMs?: number | undefined;
  /** Most messages one tick sends. */
  batch?: number | undefined;
  /**
   * Waits for a channel's next send slot, right before a send (after the
   * gate). Default: this runner's own pace, sends `1000 / perSecond` apart;
   * null when the senders book their own slots (with REDIS_URL, the shared
   * per-bot send window that broadcasts book too).
   */
  pace?: SendPacer | null | undefined;
}

/** Waits until a send on `channel` may start, and books it. */
export type SendPacer = (channel: string, perSecond: number) => Promise<void>;

/** This process's pace: sends into one channel at least `1000 / perSecond` apart. */
function localPacer(sleep: (ms: number) => Promise<void>): SendPacer {
  const next = new Map<string, number>();
  return async (channel, perSecond) => {
    const now = Date.now();
    const at = Math.max(now, next.get(channel) ?? 0);
    next.set(channel, at + 1000 / perSecond);
    if (at > now) await sleep(at - now);
  };
}

/** The sender with each send waiting for its slot first. */
function paced(sender: MarketingSender, pace: SendPacer): MarketingSender {
  return {
    channel: sender.channel,
    perSecond: sender.perSecond,
    send: async (address, message) => {
      await pace(sender.channel, sender.perSecond);
      return sender.send(address, message);
    },
  };
}

export interface AutomationDeps {
  repo: AutomationRepository;
  triggers: AutomationTriggers;
  subjects: AutomationSubjects;
  audience: AudienceState;
  productOf: ProductLookup;
  clock: Clock;
  log: Logger;
}

const settingKey = {
  abandoned_cart: 'abandonedCart',
  back_in_stock: 'backInStock',
  price_drop: 'priceDrop',
  review_request: 'reviewRequest',
} as const satisfies Record<ClaimedMessage['kind'], keyof AutomationSettings>;

/**
 * The marketing automations: each tick plans what the switched-on
 * automations owe (once per trigger, recorded in the database) and sends the
 * due messages. Every message is claimed before it goes out and finished
 * after, so a crash or a second runner never sends it twice; consent, blocks,
 * quiet hours (try again after) and the frequency cap are checked right
 * before each send, and so are the store's switch and the trigger itself
 * (a cart checked out meanwhile gets no reminder).
 */
export class AutomationRunner {
  private readonly planner: AutomationPlanner;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly batch: number;
  private readonly senders: readonly MarketingSender[];

  constructor(
    private readonly deps: AutomationDeps,
    senders: readonly MarketingSender[],
    private readonly opts: AutomationRunnerOptions,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    // Paced right before each send, so a skipped or blocked recipient costs no time.
    const pace = opts.pace === undefined ? localPacer(sleep) : opts.pace;
    this.senders = pace ? senders.map((s) => paced(s, pace)) : senders;
    this.planner = new AutomationPlanner(deps.repo, deps.triggers, deps.productOf);
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.batch = opts.batch ?? 100;
  }

  /** Plans for every store, then sends what is due; returns how many messages went out. */
  async tick(): Promise<number> {
    const { repo, clock, log } = this.deps;
    const interrupted = await repo.expireLeases(clock.now());
    if (interrupted) log.warn({ interrupted }, 'automation messages interrupted mid-send; not sent again');
    const settings = new Map<string, AutomationSettings>();
    for (const store of await repo.stores()) {
      const s = automationSettingsOf(store.automations);
      settings.set(store.storeId, s);
      try {
        await this.planner.plan(store.storeId, s, clock.now());
      } catch (err) {
        log.error({ err, store: store.storeId }, 'automation planning failed');
      }
    }
    const now = clock.now();
    const claimed = await repo.claim(now, this.batch, new Date(now.getTime() + this.leaseMs));
    const paused = new Set<string>();
    let sent = 0;
    for (const m of claimed) {
      const sender = this.senders.find((s) => s.channel === m.channel);
      const result: MessageResult =
        !sender || paused.has(m.channel)
          ? { status: 'pending', retryAt: new Date(clock.now().getTime() + 60_000), error: sender ? 'rate limited' : 'channel not running' }
          : await this.deliver(sender, m, settings.get(m.storeId)).catch((err: unknown) => ({ status: 'pending' as const, retryAt: new Date(clock.now().getTime() + 60_000), error: String(err).slice(0, 200) }));
      if (result.status === 'pending' && result.error === 'rate limited') paused.add(m.channel);
      await repo.finish(m.id, result, clock.now());
      if (result.status === 'sent') {
        sent++;
        log.info({ automation: m.kind, customer: m.customerId, channel: m.channel }, 'automation message sent');
      }
    }
    return sent;
  }

  private async deliver(sender: MarketingSender, m: ClaimedMessage, settings: AutomationSettings | undefined): Promise<MessageResult> {
    const { repo, subjects, audience, clock } = this.deps;
    if (!settings?.[settingKey[m.kind]].enabled) return { status: 'skipped', error: 'switched off' };
    const subject = await subjects.subject(m);
    if (!subject) return { status: 'skipped', error: 'no longer applies' };
    const now = clock.now();
    const rules = this.rules(subject);
    const recent = rules.frequencyCap ? await repo.sentSince(m.customerId, new Date(now.getTime() - rules.frequencyCap.perHours * 3_600_000)) : 0;
    const decision = gate('marketing', await this.consentFor(m, subject), rules, recent, now);
    if (!decision.send) {
      if (decision.reason === 'QUIET_HOURS') return { status: 'pending', retryAt: decision.retryAt, error: 'quiet hours' };
      return decision.reason === 'UNREACHABLE' ? { status: 'blocked', error: 'unreachable' } : { status: 'skipped', error: decision.reason.toLowerCase() };
    }
    const message = await this.message(m, subject);
    if (!message) return { status: 'skipped', error: 'the product is gone' };
    let outcome;
    try {
      outcome = await sender.send(m.address, message);
    } catch (err) {
      outcome = { kind: 'error' as const, message: err instanceof Error ? err.message : String(err) };
    }
    switch (outcome.kind) {
      case 'sent':
        return { status: 'sent', messageId: outcome.messageId };
      case 'blocked':
        await audience.markUnreachable(m.customerId, m.channel, clock.now());
        return { status: 'blocked', error: 'the platform refuses this recipient' };
      case 'retry':
        return { status: 'pending', retryAt: new Date(clock.now().getTime() + Math.max(1, outcome.afterSeconds) * 1000), error: 'rate limited' };
      case 'error':
        if (m.attempts >= this.maxAttempts) return { status: 'failed', error: outcome.message.slice(0, 200) };
        return { status: 'pending', retryAt: new Date(clock.now().getTime() + Math.min(300_000, 2 ** m.attempts * 1000)), error: outcome.message.slice(0, 200) };
    }
  }

  /** A back-in-stock alert was asked for: the shopper's frequency cap does not hold it back. */
  private rules(subject: AutomationSubject): StoreMessagingRules {
    return subject.kind === 'back_in_stock' ? { ...this.opts.rules, frequencyCap: null } : this.opts.rules;
  }

  /**
   * The tap on "Notify me" is the opt-in for that one alert, unless the
   * shopper opted out after it; blocks and quiet hours still hold.
   */
  private async consentFor(m: ClaimedMessage, subject: AutomationSubject): Promise<ConsentState> {
    const state = await this.deps.audience.state(m.customerId, m.channel);
    if (subject.kind !== 'back_in_stock') return state;
    const optedOutLater = state.status === 'unsubscribed' && (await this.deps.repo.optedOutSince(m.customerId, m.channel, subject.requestedAt));
    return { ...state, status: optedOutLater ? 'unsubscribed' : 'subscribed' };
  }

  private async message(m: ClaimedMessage, subject: AutomationSubject): Promise<BroadcastMessage | null> {
    const t = automationTexts(await this.deps.repo.localeOf(m.customerId));
    const base = { broadcastId: `automation:${m.id}`, storeId: m.storeId, imageUrl: null };
    const card = async (productId: string | null) => {
      const p = productId ? await this.deps.productOf(m.storeId, productId) : null;
      return p ? { id: p.id, title: p.title, price: formatMoney({ amount: p.minPrice, currency: p.currency }) } : null;
    };
    switch (subject.kind) {
      case 'abandoned_cart': {
        // The same engine actions as /cart and "checkout": the cart opens in the chat, priced now.
        const actions = [[{ label: t.viewCartButton(), action: encodeAction({ op: 'cart' }) }, { label: t.checkoutButton(), action: encodeAction({ op: 'checkout' }) }]];
        return { ...base, text: t.abandonedCart({ items: itemsText(subject.items) }), product: await card(subject.firstProductId), actions };
      }
      case 'back_in_stock': {
        const product = await card(subject.productId);
        if (!product) return null;
        const title = subject.variantLabel ? `${product.title} (${subject.variantLabel})` : product.title;
        return { ...base, text: t.backInStock({ product: title }), product };
      }
      case 'price_drop': {
        const product = await card(subject.productId);
        if (!product) return null;
        const money = (amount: number) => formatMoney({ amount, currency: subject.currency });
        return { ...base, text: t.priceDrop({ product: product.title, from: money(subject.from), to: money(subject.to) }), product };
      }
      case 'review_request': {
        // One row of stars for the order's first product; a tap records the rating (src/reviews).
        const product = await card(subject.firstProductId);
        const stars = [1, 2, 3, 4, 5].map((n) => ({ label: t.starButton({ stars: n }), action: encodeAction({ op: 'rate', orderId: m.subjectId, productId: product?.id ?? '', stars: n }) }));
        return { ...base, text: t.reviewRequest({ number: subject.orderNumber, product: product?.title ?? null }), product: null, ...(product && { actions: [stars] }) };
      }
    }
  }
}
