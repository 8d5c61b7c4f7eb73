import type { REST } from '@discordjs/rest';
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandAutocompleteInteraction,
  type APIInteraction,
  type APIInteractionResponse,
} from 'discord-api-types/v10';
import type { SalesReportService } from '../../src/analytics/sales-report.ts';
import type { CartService } from '../../src/cart/cart.service.ts';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { CampaignService } from '../../src/marketing/campaign.service.ts';
import type { GroupDealService } from '../../src/marketing/group-deal.service.ts';
import { systemClock } from '../../src/shared/time.ts';
import { GroupDealDesk } from './group-deal-desk.ts';
import type { ConversationInput, Reply } from '../../src/conversation/conversation.types.ts';
import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { BroadcastService } from '../../src/marketing/broadcast.service.ts';
import type { OrderService } from '../../src/orders/orders.service.ts';
import type { RefundService } from '../../src/payments/refund.service.ts';
import type { PromotionService } from '../../src/promotions/promotions.service.ts';
import type { SearchService } from '../../src/search/search.service.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { ProcessedEvents } from '../../src/shared/processed-events.ts';
import { CampaignDesk } from './campaign-desk.ts';
import { campaignPlan } from './campaign-plan.ts';
import { ADDRESS_BUTTON, CheckoutAddress } from './checkout-address.ts';
import { InteractionWebhook } from './deliver.ts';
import { focusedValue, userOf } from './input.ts';
import { cut, LIMITS } from './limits.ts';
import { MarketingDesk } from './marketing-desk.ts';
import { planFor, rolesOf, type Plan, type Planner } from './plans.ts';
import { PROMO_BUTTON, promoCodeModal } from './promo-code.ts';
import { messageBody, type DiscordMessage } from './render.ts';
import { SellerCommands } from './seller.ts';
import { StaffForms } from './staff-forms.ts';
import { StaffDesk } from './staff.ts';
import { WorkSlots } from './work-slots.ts';

export interface InteractionDeps {
  conversation: { handle(input: ConversationInput): Promise<Reply[]> };
  catalog: CatalogService;
  search: SearchService;
  orders: OrderService;
  carts: CartService;
  customers: CustomerService;
  refunds: RefundService;
  salesReport: SalesReportService;
  promotions: PromotionService;
  broadcasts: BroadcastService;
  processedEvents: ProcessedEvents;
  rest: REST;
  /** Group deals (/groupbuy, Join and Leave); absent: not offered. */
  groupDeals?: GroupDealService | undefined;
  /** /campaign (promotion + segment + announcement, confirmed together); absent: not offered. */
  campaigns?: CampaignService | undefined;
  /** A signed link to the stats chart (see src/http/chart-link.ts). */
  chartUrl?: ((store: StoreRecord, days: number) => string | null) | undefined;
  /** DEFAULT_STORE: the store the bot serves. */
  store: string;
  /** Discord user ids of the staff (SELLER_IDS `discord:<id>`). */
  staff: ReadonlySet<string>;
  /** DISCORD_STAFF_ROLE_ID: server members with this role are staff too. */
  staffRoleId?: string | undefined;
  log: Logger;
  /** Answer directly when the work is done within this; otherwise defer (default DEFER_AFTER_MS; Discord allows 3 s). */
  deferAfterMs?: number | undefined;
}

/**
 * Work not done by then is deferred and completed by a follow-up. Quick turns
 * (~10 ms) still get a direct answer; the margin up to the 250 ms
 * acknowledgement target absorbs a busy event loop (see bench/discord.bench.ts).
 */
export const DEFER_AFTER_MS = 100;
/** Interactions whose work runs at once (a slow model call holds one too), and how many may wait for a slot. */
export const WORK_SLOTS = 64;
export const WORK_WAITING = 2000;

/** The first answer to an interaction, and what to send once Discord has it. */
export interface Answer {
  response: APIInteractionResponse;
  after?: (() => Promise<void>) | undefined;
}

type Settled = { ok: true; messages: DiscordMessage[] } | { ok: false; err: unknown };

/**
 * The one handler for Discord interactions, whether they arrive at the HTTP
 * endpoint or through the gateway: slash commands, buttons and select menus
 * become engine turns (or staff actions) and the replies Discord messages.
 * Each interaction is claimed once (redeliveries have no effect) and answered
 * within Discord's 3 seconds: directly when the work is quick, else deferred
 * and completed through the interaction webhook.
 */
export class DiscordInteractions {
  private readonly planner: Planner;
  private readonly campaigns: CampaignDesk | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly slots = new WorkSlots(WORK_SLOTS, WORK_WAITING);

  constructor(private readonly deps: InteractionDeps) {
    const staff = new StaffDesk({ orders: deps.orders, staff: deps.staff, staffRoleId: deps.staffRoleId, log: deps.log });
    this.planner = {
      deps,
      staff,
      forms: new StaffForms({ orders: deps.orders, refunds: deps.refunds, desk: staff }),
      seller: new SellerCommands({ catalog: deps.catalog, search: deps.search, salesReport: deps.salesReport, rest: deps.rest, log: deps.log, chartUrl: deps.chartUrl }),
      address: new CheckoutAddress({ carts: deps.carts, customers: deps.customers }),
      marketing: new MarketingDesk({ promotions: deps.promotions, broadcasts: deps.broadcasts, catalog: deps.catalog, search: deps.search, log: deps.log }),
      groupDeals: deps.groupDeals && new GroupDealDesk({ deals: deps.groupDeals, customers: deps.customers, clock: systemClock, log: deps.log }),
    };
    this.campaigns = deps.campaigns && new CampaignDesk({ campaigns: deps.campaigns, categories: (id) => deps.catalog.listCategories(id), clock: systemClock, log: deps.log });
  }

  async handle(i: APIInteraction): Promise<Answer> {
    if (i.type === InteractionType.Ping) return { response: { type: InteractionResponseType.Pong } };
    if (i.type === InteractionType.ApplicationCommandAutocomplete) return { response: await this.autocomplete(i) };
    const t = translator(resolveLocale(i.locale ?? i.guild_locale, 'en'));
    if (!(await this.deps.processedEvents.claim('discord', i.id))) {
      this.deps.log.info({ interaction: i.id }, 'discord interaction redelivered; ignored');
      return { response: i.type === InteractionType.MessageComponent ? { type: InteractionResponseType.DeferredMessageUpdate } : this.note(t.m.alreadyHandled()) };
    }
    const modal = this.modalFor(i, t);
    if (modal) return { response: { type: InteractionResponseType.Modal, data: modal } };
    const plan = campaignPlan(this.campaigns, this.planner.staff, i, () => this.deps.catalog.store(this.deps.store)) ?? planFor(this.planner, i, t);
    const started = this.slots.run(plan.run);
    if (!started) {
      // Overloaded: say so at once; nothing was done, so the same interaction may be tried again.
      this.deps.log.warn({ interaction: i.id, ...this.slots.load }, 'discord interaction refused: too much work waiting');
      await this.deps.processedEvents.release('discord', i.id);
      return { response: this.note(t.m.error()) };
    }
    const settled: Promise<Settled> = started.then(
      (messages) => ({ ok: true, messages }),
      (err: unknown) => ({ ok: false, err }),
    );
    let timer: NodeJS.Timeout | undefined;
    const quick = await Promise.race([settled, new Promise<null>((r) => (timer = setTimeout(() => r(null), this.deps.deferAfterMs ?? DEFER_AFTER_MS)))]);
    clearTimeout(timer);
    const hook = new InteractionWebhook(this.deps.rest, i.application_id, i.token);
    if (quick) return this.direct(i, plan, quick, hook, t);
    this.deps.log.info({ interaction: i.id }, 'discord interaction deferred');
    return {
      response: plan.update
        ? { type: InteractionResponseType.DeferredMessageUpdate }
        : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: plan.ephemeral ? { flags: MessageFlags.Ephemeral } : {} },
      after: () => this.track(this.complete(plan, settled, hook, t)),
    };
  }

  /** Resolves once every follow-up started so far has been sent (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async direct(i: APIInteraction, plan: Plan, s: Settled, hook: InteractionWebhook, t: Translator): Promise<Answer> {
    if (!s.ok) {
      this.deps.log.error({ err: s.err, interaction: i.id }, 'discord interaction failed');
      // Nothing was done: a redelivery may try again.
      await this.deps.processedEvents.release('discord', i.id);
      return { response: this.note(t.m.error()) };
    }
    const [first, ...rest] = s.messages.length ? s.messages : [this.message(t.m.error())];
    const hidden = plan.ephemeral || first?.private === true;
    const body = messageBody(first ?? this.message(''), plan.update ? 0 : hidden ? MessageFlags.Ephemeral : 0);
    const response: APIInteractionResponse = plan.update
      ? { type: InteractionResponseType.UpdateMessage, data: body }
      : { type: InteractionResponseType.ChannelMessageWithSource, data: body };
    return { response, ...(rest.length && { after: () => this.track(this.followUps(rest, plan, hook)) }) };
  }

  private async complete(plan: Plan, settled: Promise<Settled>, hook: InteractionWebhook, t: Translator): Promise<void> {
    const s = await settled;
    if (!s.ok) this.deps.log.error({ err: s.err }, 'discord interaction failed after deferral');
    const [first, ...rest] = s.ok && s.messages.length ? s.messages : [this.message(t.m.error())];
    if (!first) return;
    if (first.private && !plan.ephemeral && !plan.update) {
      // The deferred answer is public: a private reply goes in an ephemeral follow-up instead.
      await hook.deleteOriginal();
      await this.followUps([first, ...rest], plan, hook);
      return;
    }
    await hook.editOriginal(first);
    await this.followUps(rest, plan, hook);
  }

  private async followUps(messages: DiscordMessage[], plan: Plan, hook: InteractionWebhook): Promise<void> {
    for (const m of messages) await hook.followUp(m, plan.ephemeral || plan.update || m.private);
  }

  private track(work: Promise<void>): Promise<void> {
    const p = work.catch((err: unknown) => this.deps.log.error({ err }, 'discord follow-up not delivered'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /**
   * A button that opens a form is answered with the form itself (a modal
   * cannot follow a deferral); it needs no database, so it is immediate.
   * Staff forms open for staff only; others get the usual refusal.
   */
  private modalFor(i: APIInteraction, t: Translator) {
    if (i.type !== InteractionType.MessageComponent) return null;
    const id = i.data.custom_id;
    if (id === ADDRESS_BUTTON) return this.planner.address.open(i.message);
    if (id === PROMO_BUTTON) return promoCodeModal(t);
    const user = userOf(i);
    if (StaffForms.opens(id) && user && this.planner.staff.isStaff(user.id, rolesOf(i))) return this.planner.forms.open(id, i.message);
    // The campaign wizard's announcement form, for the staff member whose wizard it is.
    if (this.campaigns && user && this.planner.staff.isStaff(user.id, rolesOf(i))) return this.campaigns.form(user.id, id);
    return null;
  }

  private async autocomplete(i: APIApplicationCommandAutocompleteInteraction): Promise<APIInteractionResponse> {
    const typed = focusedValue(i.data.options).trim();
    const store = await this.deps.catalog.store(this.deps.store);
    const found = await this.deps.search.products({ storeId: store.id, q: typed || undefined, sort: typed ? 'relevance' : 'newest', limit: LIMITS.autocompleteChoices, statuses: ['active'] });
    const choices = found.items.filter((p) => p.slug.length <= LIMITS.choiceText).map((p) => ({ name: cut(p.title, LIMITS.choiceText), value: p.slug }));
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } };
  }

  private message(text: string): DiscordMessage {
    return { content: text, embeds: [], components: [], private: true };
  }

  private note(text: string): APIInteractionResponse {
    return { type: InteractionResponseType.ChannelMessageWithSource, data: { ...messageBody(this.message(text)), flags: MessageFlags.Ephemeral } };
  }
}
