import { decodeAction, type Action } from './actions.ts';
import { defaultCapabilities, type ConversationInput, type Reply } from './conversation.types.ts';
import type { EngineDeps, TurnContext } from './engine.ports.ts';
import { addByRef, addVariant, changeByWords, confirm, setQuantity, showCart } from './handlers/cart.handlers.ts';
import { checkout, myOrders } from './handlers/checkout.handlers.ts';
import { askForget, forget, privacy, subscribe, unsubscribe } from './handlers/consent.handlers.ts';
import { applyCode, CODE_TEXT, removeCode } from './handlers/promo.handlers.ts';
import { askReturn, confirmReturn, showOrder } from './handlers/order.handlers.ts';
import { categories, category, greet, help, menuButtons } from './handlers/menu.handlers.ts';
import { chooseVariant, popular, recommend, showProduct } from './handlers/product.handlers.ts';
import { notifyMe } from './handlers/stock-alert.handlers.ts';
import { addComment, rate, takeCommentWindow } from './handlers/review.handlers.ts';
import { compare, more, search } from './handlers/search.handlers.ts';
import { resolveLocale, translator } from './i18n/i18n.ts';
import type { Intent } from './intents/intent.types.ts';
import { parseIntent } from './intents/parse.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import type { ConversationMemory } from './state.ts';

const MAX_TEXT = 500;

/**
 * One engine for every channel: a turn (text, button or command) in, a list
 * of channel-neutral replies out. Turns of one chat run one at a time; the
 * memory is persisted after each turn so any instance can take the next one.
 */
export class ConversationEngine {
  private readonly turns = new KeyedMutex();

  constructor(private readonly deps: EngineDeps) {}

  async handle(input: ConversationInput): Promise<Reply[]> {
    const store = await this.deps.catalog.store(input.store);
    const sessionKey = `${input.channel}:${input.identity.externalUserId}`;
    return this.turns.run(`${store.id}|${sessionKey}`, async () => {
      const stored = await this.deps.state.load(store.id, sessionKey);
      // Who this is: looked up on the first turn, and again whenever the
      // platform reports a new chat, name or language (or a blocked user is back).
      const seen = identityFingerprint(input);
      const known = stored?.customerId && stored.memory.identitySeen === seen ? stored.customerId : null;
      const customerId =
        known ??
        (
          await this.deps.customers.identify(
            store.id,
            {
              channel: input.channel,
              externalUserId: input.identity.externalUserId,
              chatId: input.identity.chatId,
              username: input.identity.username,
              locale: input.identity.locale,
            },
            { displayName: input.identity.displayName ?? input.identity.username ?? '' },
          )
        ).id;
      const localeTag = input.identity.locale ?? stored?.locale ?? null;
      const ctx: TurnContext = {
        store,
        channel: input.channel,
        sessionKey,
        customerId,
        caps: input.capabilities ?? defaultCapabilities[input.channel],
        t: translator(resolveLocale(localeTag, store.locale)),
        memory: { ...structuredClone(stored?.memory ?? {}), identitySeen: seen },
        sales: (await this.deps.sales?.(store.id)) ?? [],
        now: this.deps.clock.now(),
      };
      let replies: Reply[];
      try {
        replies = await this.dispatch(ctx, input);
      } catch (err) {
        this.deps.log.error({ err, store: store.slug, channel: input.channel }, 'conversation turn failed');
        return [{ type: 'text', text: ctx.t.m.error(), buttons: menuButtons(ctx) }];
      }
      // After /forgetme nothing of this chat is written again: the next turn starts afresh.
      // A turn that changed nothing remembered (most reads: cart, help, orders) writes nothing.
      const same = stored !== null && stored.customerId === customerId && stored.locale === localeTag && JSON.stringify(stored.memory) === JSON.stringify(ctx.memory);
      if (!ctx.erased && !same) await this.persist(store.id, sessionKey, ctx.memory, customerId, localeTag, stored?.version ?? 0);
      return replies;
    });
  }

  private async persist(storeId: string, key: string, memory: ConversationMemory, customerId: string, locale: string | null, version: number) {
    const state = { memory, customerId, locale };
    if (await this.deps.state.save(storeId, key, state, version)) return;
    // Another instance wrote this chat's memory meanwhile: the newer turn wins.
    const latest = await this.deps.state.load(storeId, key);
    await this.deps.state.save(storeId, key, state, latest?.version ?? 0);
  }

  private async dispatch(ctx: TurnContext, input: ConversationInput): Promise<Reply[]> {
    // Words for a review are only the very next message after a rating: any turn closes the window.
    const awaitingWords = takeCommentWindow(ctx.memory, ctx.now ?? this.deps.clock.now());
    if (input.action !== undefined) {
      const action = decodeAction(input.action);
      const replies = action ? await this.onAction(ctx, action) : null;
      // A forged or stale button gets a polite answer and the menu.
      return replies ?? [{ type: 'text', text: ctx.t.m.staleButton(), buttons: menuButtons(ctx) }];
    }
    if (input.command) return (await this.onConsentCommand(ctx, input.command)) ?? this.onIntent(ctx, commandIntent(input.command), input.command.args);
    const text = (input.text ?? '').trim();
    if (!text) return greet(ctx);
    if (awaitingWords) return addComment(this.deps, ctx, awaitingWords.reviewId, text);
    const typedCode = CODE_TEXT.exec(text)?.[1];
    if (typedCode) return applyCode(this.deps, ctx, typedCode);
    if (text.length > MAX_TEXT) return [{ type: 'text', text: ctx.t.m.tooManyWords() }];
    if (this.deps.assistant) {
      const understood = await this.deps.assistant.interpret(ctx, text);
      if (understood?.kind === 'replies') return understood.replies;
      if (understood?.kind === 'intent') return this.onIntent(ctx, understood.intent, text);
    }
    return this.onIntent(ctx, await this.parse(ctx, text), text);
  }

  async parse(ctx: TurnContext, text: string): Promise<Intent> {
    const vocab = await this.deps.search.vocabulary(ctx.store.id);
    return parseIntent(text, { currency: ctx.store.currency, options: vocab.options, categories: vocab.categories });
  }

  /** Runs an understood intent; also the entry point of the assistant's tools. */
  async onIntent(ctx: TurnContext, intent: Intent, text: string): Promise<Reply[]> {
    const d = this.deps;
    switch (intent.kind) {
      case 'greet': return greet(ctx);
      case 'help': return help(ctx);
      case 'categories': return categories(d, ctx);
      case 'cart': return showCart(d, ctx);
      case 'checkout': return checkout(d, ctx);
      case 'orders': return myOrders(d, ctx);
      case 'more': return (await more(d, ctx)) ?? greet(ctx);
      case 'popular': return popular(d, ctx);
      case 'recommend': return recommend(d, ctx, null);
      case 'compare': return compare(d, ctx, intent.request);
      case 'add': return addByRef(d, ctx, intent.ref, intent.quantity);
      case 'remove': return changeByWords(d, ctx, intent.query, 0);
      case 'setQuantity': return changeByWords(d, ctx, intent.query, intent.quantity);
      case 'search': return search(d, ctx, intent.request, text);
    }
  }

  /** /subscribe, /stop, /privacy, /forgetme, "/start promos" (the shopper's say over their data and offers) and /code. */
  private async onConsentCommand(ctx: TurnContext, cmd: { name: string; args: string }): Promise<Reply[] | null> {
    switch (cmd.name.toLowerCase()) {
      case 'subscribe': return subscribe(this.deps, ctx, 'subscribe_command');
      case 'start': return cmd.args.trim().toLowerCase() === 'promos' ? subscribe(this.deps, ctx, 'start_promos') : null;
      case 'stop':
      case 'unsubscribe': return unsubscribe(this.deps, ctx, 'stop_command');
      case 'privacy': return privacy(this.deps, ctx);
      case 'forgetme': return askForget(this.deps, ctx);
      case 'code':
      case 'promo': return applyCode(this.deps, ctx, cmd.args);
      default: return null;
    }
  }

  private async onAction(ctx: TurnContext, a: Action): Promise<Reply[] | null> {
    const d = this.deps;
    switch (a.op) {
      case 'menu': return greet(ctx);
      case 'help': return help(ctx);
      case 'categories': return categories(d, ctx);
      case 'category': return category(d, ctx, a.id, a.page);
      case 'more': return more(d, ctx);
      case 'product': return showProduct(d, ctx, a.id);
      case 'variant': return chooseVariant(d, ctx, a.id);
      case 'add': return addVariant(d, ctx, a.variantId, a.quantity);
      case 'cart': return showCart(d, ctx);
      case 'setQty': return setQuantity(d, ctx, a.itemId, a.quantity);
      case 'checkout': return checkout(d, ctx);
      case 'orders': return myOrders(d, ctx);
      case 'recommend': return a.productId ? recommend(d, ctx, a.productId) : popular(d, ctx);
      case 'confirm': return confirm(d, ctx, a.token, true);
      case 'reject': return confirm(d, ctx, a.token, false);
      case 'order': return showOrder(d, ctx, a.id);
      case 'returnAsk': return askReturn(d, ctx, a.orderId);
      case 'returnConfirm': return confirmReturn(d, ctx, a.orderId);
      case 'unsubscribe': return unsubscribe(d, ctx, 'unsubscribe_button');
      case 'privacy': return privacy(d, ctx);
      case 'forgetAsk': return askForget(d, ctx);
      case 'forget': return forget(d, ctx, a.token);
      case 'removeCode': return removeCode(d, ctx);
      case 'offer': {
        if (ctx.channel === 'telegram' || ctx.channel === 'discord') await d.offers?.clicked(a.broadcastId, ctx.customerId, ctx.channel, d.clock.now());
        return showProduct(d, ctx, a.productId);
      }
      case 'notifyMe': return notifyMe(d, ctx, a.variantId);
      case 'rate': return rate(d, ctx, a);
    }
  }
}

function identityFingerprint(input: ConversationInput): string {
  const i = input.identity;
  return [i.chatId ?? '', i.username ?? '', i.locale ?? ''].join('|');
}

/** Slash commands every channel shares: /start, /help, /search, /cart, /orders … */
function commandIntent(cmd: { name: string; args: string }): Intent {
  switch (cmd.name.toLowerCase()) {
    case 'help': return { kind: 'help' };
    case 'cart': return { kind: 'cart' };
    case 'checkout': return { kind: 'checkout' };
    case 'orders': return { kind: 'orders' };
    case 'categories':
    case 'shop': return { kind: 'categories' };
    case 'popular': return { kind: 'popular' };
    case 'search':
      return cmd.args.trim() ? { kind: 'search', request: { q: cmd.args.trim(), sort: 'relevance', filterLabels: [] } } : { kind: 'help' };
    default:
      return { kind: 'greet' };
  }
}
