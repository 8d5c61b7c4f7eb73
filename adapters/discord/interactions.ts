import type { REST } from '@discordjs/rest';
import {
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandAutocompleteInteraction,
  type APIInteraction,
  type APIInteractionResponse,
} from 'discord-api-types/v10';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { ConversationInput, Reply } from '../../src/conversation/conversation.types.ts';
import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { OrderService } from '../../src/orders/orders.service.ts';
import type { SearchService } from '../../src/search/search.service.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { ProcessedEvents } from '../../src/shared/processed-events.ts';
import { PICK_QUANTITY, PICK_VARIANT } from './components.ts';
import { InteractionWebhook } from './deliver.ts';
import { focusedValue, identityOf, integerOption, PRIVATE_COMMANDS, stringOption, subcommand, userOf } from './input.ts';
import { cut, LIMITS } from './limits.ts';
import { messageBody, renderReplies, type DiscordMessage } from './render.ts';
import { STAFF_PREFIX, StaffDesk } from './staff.ts';

export interface InteractionDeps {
  conversation: { handle(input: ConversationInput): Promise<Reply[]> };
  catalog: CatalogService;
  search: SearchService;
  orders: OrderService;
  processedEvents: ProcessedEvents;
  rest: REST;
  /** DEFAULT_STORE: the store the bot serves. */
  store: string;
  /** Discord user ids of the staff (SELLER_IDS `discord:<id>`). */
  staff: ReadonlySet<string>;
  log: Logger;
  /** Answer directly when the work is done within this; otherwise defer (default 250 ms, Discord allows 3 s). */
  deferAfterMs?: number | undefined;
}

/** The first answer to an interaction, and what to send once Discord has it. */
export interface Answer {
  response: APIInteractionResponse;
  after?: (() => Promise<void>) | undefined;
}

interface Plan {
  /** Only the user sees the answer. */
  ephemeral: boolean;
  /** Replace the (ephemeral) message the component sits on rather than send a new one. */
  update: boolean;
  run: () => Promise<DiscordMessage[]>;
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
  private readonly staffDesk: StaffDesk;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: InteractionDeps) {
    this.staffDesk = new StaffDesk({ orders: deps.orders, staff: deps.staff, log: deps.log });
  }

  async handle(i: APIInteraction): Promise<Answer> {
    if (i.type === InteractionType.Ping) return { response: { type: InteractionResponseType.Pong } };
    if (i.type === InteractionType.ApplicationCommandAutocomplete) return { response: await this.autocomplete(i) };
    const t = translator(resolveLocale(i.locale ?? i.guild_locale, 'en'));
    if (!(await this.deps.processedEvents.claim('discord', i.id))) {
      this.deps.log.info({ interaction: i.id }, 'discord interaction redelivered; ignored');
      return { response: i.type === InteractionType.MessageComponent ? { type: InteractionResponseType.DeferredMessageUpdate } : this.note(t.m.alreadyHandled()) };
    }
    const plan = this.plan(i, t);
    const settled: Promise<Settled> = plan.run().then(
      (messages) => ({ ok: true, messages }),
      (err: unknown) => ({ ok: false, err }),
    );
    let timer: NodeJS.Timeout | undefined;
    const quick = await Promise.race([settled, new Promise<null>((r) => (timer = setTimeout(() => r(null), this.deps.deferAfterMs ?? 250)))]);
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

  private plan(i: Exclude<APIInteraction, { type: InteractionType.Ping | InteractionType.ApplicationCommandAutocomplete }>, t: Translator): Plan {
    const user = userOf(i);
    if (!user) return { ephemeral: true, update: false, run: () => Promise.resolve([this.message(t.m.error())]) };
    const base = { store: this.deps.store, channel: 'discord' as const, identity: identityOf(i, user) };
    const turn = (input: Pick<ConversationInput, 'action' | 'command' | 'text'>) => async () => renderReplies(await this.deps.conversation.handle({ ...base, ...input }), t);
    const staffOnly = (attempted: string, run: () => Promise<DiscordMessage | null>, update: boolean): Plan =>
      this.staffDesk.isStaff(user.id)
        ? { ephemeral: true, update, run: async () => [(await run()) ?? this.message(t.m.staleButton())] }
        : { ephemeral: true, update: false, run: () => Promise.resolve([this.staffDesk.refuse(user.id, attempted)]) };

    switch (i.type) {
      case InteractionType.ApplicationCommand: {
        if (i.data.type !== ApplicationCommandType.ChatInput) return { ephemeral: true, update: false, run: turn({ command: { name: 'help', args: '' } }) };
        const { name, options } = i.data;
        const ephemeral = PRIVATE_COMMANDS.has(name);
        if (name === 'staff') {
          const sub = subcommand(options);
          return staffOnly(`/staff ${sub?.name ?? ''}`, async () => {
            const store = await this.deps.catalog.store(this.deps.store);
            if (sub?.name === 'order') return this.staffDesk.show(store, integerOption(sub.options, 'number') ?? 0);
            return this.staffDesk.list(store, stringOption(sub?.options, 'status'));
          }, false);
        }
        if (name === 'product') {
          const wanted = stringOption(options, 'name') ?? '';
          return { ephemeral, update: false, run: async () => turn(await this.productInput(wanted))() };
        }
        const args = name === 'search' ? (stringOption(options, 'query') ?? '') : '';
        return { ephemeral, update: false, run: turn({ command: { name, args } }) };
      }
      case InteractionType.MessageComponent: {
        // Components on a public message answer the clicking shopper privately; on their own ephemeral message, in place.
        const update = ((i.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
        const id = i.data.custom_id;
        if (id.startsWith(STAFF_PREFIX)) {
          return staffOnly(`button ${cut(id, 40)}`, async () => this.staffDesk.mark(await this.deps.catalog.store(this.deps.store), user.id, id), update);
        }
        const picked = i.data.component_type === ComponentType.StringSelect && (id === PICK_VARIANT || id === PICK_QUANTITY) ? i.data.values[0] : undefined;
        // Anything else (forged, stale) goes to the engine as is: it answers politely with the menu.
        return { ephemeral: true, update, run: turn({ action: picked ?? id }) };
      }
      case InteractionType.ModalSubmit:
        return { ephemeral: true, update: false, run: turn({ action: i.data.custom_id }) };
    }
  }

  /** `/product <name>`: the product by slug (autocomplete) or the best match, else a search. */
  private async productInput(wanted: string): Promise<Pick<ConversationInput, 'action' | 'command'>> {
    const store = await this.deps.catalog.store(this.deps.store);
    const bySlug = await this.deps.catalog.product(store.id, wanted).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
    const product = bySlug ?? (await this.deps.search.products({ storeId: store.id, q: wanted, sort: 'relevance', limit: 1, statuses: ['active'] })).items[0];
    return product ? { action: encodeAction({ op: 'product', id: product.id }) } : { command: { name: 'search', args: wanted } };
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
