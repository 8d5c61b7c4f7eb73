import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { ProductRecord, StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { BroadcastService } from '../../src/marketing/broadcast.service.ts';
import { parseSegment } from '../../src/marketing/segment.ts';
import { PROMO_USAGE } from '../../src/promotions/promo-command.ts';
import { describePromotion, type PromotionService } from '../../src/promotions/promotions.service.ts';
import type { SearchService } from '../../src/search/search.service.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { currencyExponent } from '../../src/shared/money.ts';
import { BROADCAST_BUTTON, broadcastListMessage, previewMessage, statusMessage } from './broadcast-views.ts';
import { cut, LIMITS } from './limits.ts';
import type { DiscordMessage } from './render.ts';
import { nullIfNotFound, staffNote } from './staff.ts';

/** How sellers use the commands on Discord (the promo line itself reads as on Telegram). */
export const DISCORD_PROMO_USAGE = ['Create a code: /promo line: CODE <what> [conditions]', ...PROMO_USAGE.split('\n').slice(1, 3), 'Example: /promo line: WINTER20 20% on hoodies until 2026-12-31 limit 200', 'Switch off: /promo off: CODE (or line: off CODE; on CODE switches it back on) · list: /promos'].join('\n');
export const DISCORD_BROADCAST_USAGE = [
  'Compose: /broadcast message: <text> [who: <segment>] [product: <product>] [image: <https link>]',
  'Who (default all): all · telegram · discord · bought:<product> · category:<slug> · spent>50 · inactive:30 · tag:vip, combined with spaces',
  'You see a preview and the number of subscribers it reaches before anything is sent.',
].join('\n');
const LIST_SIZE = 10;
const PROMO_LIST_SIZE = 30;

export interface MarketingDeskDeps {
  promotions: PromotionService;
  broadcasts: BroadcastService;
  catalog: CatalogService;
  search: SearchService;
  log: Logger;
}

export interface BroadcastOptions {
  who?: string | undefined;
  message?: string | undefined;
  product?: string | undefined;
  image?: string | undefined;
}

/**
 * Seller marketing on Discord, staff only (the caller checks): `/promo`
 * (create, or switch a code off and on), `/promos`, `/broadcast` (an
 * ephemeral preview with the reach per channel, then Send or Cancel) and
 * `/broadcasts`; after Send, the status with a progress bar, Refresh and Stop.
 * A refused entry says what is wrong and repeats what was typed.
 */
export class MarketingDesk {
  constructor(private readonly deps: MarketingDeskDeps) {}

  async promo(store: StoreRecord, line: string | undefined, off: string | undefined, userId: string): Promise<DiscordMessage> {
    const typed = line?.trim() ?? '';
    const code = off?.trim() ?? '';
    if (typed && code) return staffNote(`Give either line or off, not both.\n\nYou typed: line: ${cut(typed, 300)} · off: ${cut(code, 40)}`);
    const toggle = code ? ['off', code] : /^(off|on)\s+(\S+)$/i.exec(typed)?.slice(1);
    if (toggle?.[0] && toggle[1]) {
      const active = toggle[0].toLowerCase() === 'on';
      const r = await this.deps.promotions.setActive(store.id, toggle[1], active);
      if (!r.ok) return staffNote(r.message);
      this.deps.log.info({ actor: actor(userId), code: r.value.code, active }, 'promotion switched from discord');
      return staffNote(`${active ? 'Switched on' : 'Switched off'}: ${describePromotion(r.value)}`);
    }
    if (!typed) return staffNote(DISCORD_PROMO_USAGE);
    const r = await this.deps.promotions.createFromText(store, typed);
    if (!r.ok) return staffNote(cut(`Not created: ${r.message}\n\nYou typed: ${typed}`, LIMITS.content));
    this.deps.log.info({ actor: actor(userId), code: r.value.code }, 'promotion created from discord');
    return staffNote(`Created: ${describePromotion(r.value)}\nShoppers press "Apply promo code" in their cart, or type: code ${r.value.code}`);
  }

  async promos(store: StoreRecord): Promise<DiscordMessage> {
    const list = await this.deps.promotions.list(store.id);
    if (!list.length) return staffNote(`No promo codes yet.\n\n${DISCORD_PROMO_USAGE}`);
    const more = list.length > PROMO_LIST_SIZE ? [`… and ${list.length - PROMO_LIST_SIZE} more`] : [];
    return { embeds: [{ title: 'Promo codes', description: cut([...list.slice(0, PROMO_LIST_SIZE).map(describePromotion), ...more].join('\n'), LIMITS.embedDescription) }], components: [], private: true };
  }

  async broadcasts(store: StoreRecord): Promise<DiscordMessage> {
    return broadcastListMessage(await this.deps.broadcasts.list(store.id, LIST_SIZE), store.currency, DISCORD_BROADCAST_USAGE);
  }

  /** Drafts the broadcast and shows its preview; nothing is sent before Send. */
  async compose(store: StoreRecord, o: BroadcastOptions, userId: string): Promise<DiscordMessage> {
    const text = o.message?.trim() ?? '';
    const refuse = (problem: string) =>
      staffNote(cut([`Not drafted: ${problem}`, '', 'You typed:', `who: ${o.who?.trim() || 'all'}`, ...(o.product ? [`product: ${o.product}`] : []), ...(o.image ? [`image: ${o.image}`] : []), `message: ${text}`].join('\n'), LIMITS.content));
    if (!text) return refuse(`the message is empty.\n\n${DISCORD_BROADCAST_USAGE}`);
    const seg = parseSegment(o.who?.trim() || 'all', currencyExponent(store.currency));
    if (!seg.ok) return refuse(seg.message);
    const image = o.image?.trim() || null;
    if (image && !/^https:\/\/\S{1,2000}$/.test(image)) return refuse('image must be a web address starting with https://');
    let product: ProductRecord | null = null;
    if (o.product?.trim()) {
      product = await this.findProduct(store, o.product.trim());
      if (!product) return refuse(`there is no product "${cut(o.product.trim(), 80)}"; pick one from the suggestions as you type.`);
      if (product.status !== 'active') return refuse(`${product.title} is ${product.status}; only products for sale can go in a broadcast.`);
    }
    const r = await this.deps.broadcasts.draft(store.id, { createdBy: actor(userId), text, imageUrl: image, productId: product?.id ?? null, segment: seg.segment });
    if (!r.ok) return refuse(r.message);
    this.deps.log.info({ actor: actor(userId), broadcast: r.value.broadcast.id }, 'broadcast drafted from discord');
    return previewMessage(r.value, await this.deps.broadcasts.message(r.value.broadcast), store.currency);
  }

  /** Send, Cancel (Stop) and Refresh on a preview or status: `d:mk:<id>:<s|c|r>`; anything else is refused. */
  async button(store: StoreRecord, userId: string, customId: string): Promise<DiscordMessage> {
    const [, id = '', op] = BROADCAST_BUTTON.exec(customId) ?? [];
    if (!id || !op) {
      this.deps.log.warn({ discordUser: userId, customId: cut(customId, 100) }, 'discord marketing button not recognised');
      return staffNote('That button is not one I made; nothing was done.');
    }
    const b = this.deps.broadcasts;
    if (op === 'r') return this.view(store, id);
    const r = op === 's' ? await b.confirm(store.id, id) : await b.cancel(store.id, id);
    if (!r.ok) return r.code === 'NOT_FOUND' ? staffNote('There is no such broadcast in this shop; nothing was done.') : this.view(store, id, `Not done: ${r.message}.`);
    this.deps.log.info({ actor: actor(userId), broadcast: id, status: r.value.status }, op === 's' ? 'broadcast confirmed from discord' : 'broadcast cancelled from discord');
    return statusMessage(r.value, store.currency, op === 's' ? `Sending to ${r.value.recipients} subscriber(s).` : 'Cancelled: nobody else gets it.');
  }

  /** The broadcast as it stands: its preview while a draft, else its progress. */
  private async view(store: StoreRecord, id: string, notice?: string): Promise<DiscordMessage> {
    const r = await this.deps.broadcasts.get(store.id, id);
    if (!r.ok) return staffNote('There is no such broadcast in this shop.');
    if (r.value.broadcast.status !== 'draft') return statusMessage(r.value.broadcast, store.currency, notice);
    return previewMessage(r.value, await this.deps.broadcasts.message(r.value.broadcast), store.currency, notice);
  }

  /** The product chosen from the suggestions (its slug), or one named exactly. */
  private async findProduct(store: StoreRecord, wanted: string): Promise<ProductRecord | null> {
    const bySlug = await this.deps.catalog.product(store.id, wanted, { includeHidden: true }).catch(nullIfNotFound);
    if (bySlug) return bySlug;
    const hits = (await this.deps.search.products({ storeId: store.id, q: wanted, sort: 'relevance', limit: 5, statuses: ['active'] })).items;
    const exact = hits.find((p) => p.title.toLowerCase() === wanted.toLowerCase());
    return exact ? this.deps.catalog.product(store.id, exact.id).catch(nullIfNotFound) : null;
  }
}

const actor = (userId: string) => `staff:discord:${userId}`;
