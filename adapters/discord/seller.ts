import type { REST } from '@discordjs/rest';
import { ButtonStyle, ComponentType, Routes, type APIEmbed, type RESTPostAPIChannelMessageResult } from 'discord-api-types/v10';
import { formatSalesReport, type SalesReportService } from '../../src/analytics/sales-report.ts';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { ProductRecord, StoreRecord } from '../../src/catalog/catalog.types.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { SearchService } from '../../src/search/search.service.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { select, type Row } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import { messageBody, type DiscordMessage } from './render.ts';
import { discordErrorCode, httpStatusOf } from './rest.ts';
import { nullIfNotFound, staffNote, staffT } from './staff.ts';

/** The select menu on a drop with several variants: the chosen value is an engine "add 1" action. */
export const PICK_BUY = 'd:pick:b';
export const DEFAULT_STATS_DAYS = 7;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_CHANNEL = 10003;

export interface SellerDeps {
  catalog: CatalogService;
  search: SearchService;
  salesReport: SalesReportService;
  /** REST with the bot token: drops are posted as the bot. */
  rest: REST;
  log: Logger;
  /** A signed, expiring link to the stats chart image, when the server can sign and has a public address. */
  chartUrl?: ((store: StoreRecord, days: number) => string | null) | undefined;
}

/** Seller commands beyond orders: `/stock <sku> <qty>`, `/stats [days]` and `/drop <product> <channel>`. */
export class SellerCommands {
  constructor(private readonly deps: SellerDeps) {}

  async stock(store: StoreRecord, sku: string | undefined, quantity: number | undefined, userId: string): Promise<DiscordMessage> {
    const code = sku?.trim() ?? '';
    if (!code || quantity === undefined || !Number.isInteger(quantity) || quantity < 0) return staffNote('Usage: /stock <sku> <quantity>, the quantity a whole number from 0.');
    const r = await this.deps.catalog.setStock(store.id, code, quantity);
    if (!r.ok) return staffNote(r.code === 'NOT_FOUND' ? `There is no variant with SKU ${code}.` : r.message);
    const v = r.value;
    this.deps.log.info({ sku: v.sku, onHand: v.onHand, actor: `staff:discord:${userId}` }, 'stock set from discord');
    return staffNote(`Stock of ${v.sku} set to ${v.onHand} (${v.onHand - v.reserved} available, ${v.reserved} held by unpaid orders).`);
  }

  async stats(store: StoreRecord, days: number | undefined): Promise<DiscordMessage> {
    const report = await this.deps.salesReport.report(store.id, { days: days ?? DEFAULT_STATS_DAYS });
    const [title, ...lines] = formatSalesReport(report, staffT);
    const chart = this.deps.chartUrl?.(store, report.period.days);
    const embed: APIEmbed = {
      title: cut(`${store.name} — ${title ?? ''}`, LIMITS.embedTitle),
      description: cut(lines.join('\n'), LIMITS.embedDescription),
      ...(chart && { image: { url: chart } }),
    };
    return { embeds: [embed], components: [], private: true };
  }

  /** Posts the product to the channel with a Buy button (or a variant menu); answers the seller privately. */
  async drop(store: StoreRecord, wanted: string | undefined, channelId: string | undefined): Promise<DiscordMessage> {
    if (!wanted?.trim() || !channelId || !/^\d{5,25}$/.test(channelId)) return staffNote('Usage: /drop <product> <channel>.');
    const product = await this.find(store, wanted.trim());
    if (!product) return staffNote(`No product matches "${cut(wanted, 80)}"; pick one from the suggestions as you type.`);
    if (product.status !== 'active') return staffNote(`${product.title} is ${product.status}; only active products can be dropped.`);
    const post = dropMessage(product);
    if (!post) return staffNote(`${product.title} has nothing in stock to sell.`);
    try {
      const sent = (await this.deps.rest.post(Routes.channelMessages(channelId), { body: messageBody(post) })) as RESTPostAPIChannelMessageResult;
      this.deps.log.info({ product: product.slug, channel: channelId, message: sent.id }, 'discord drop posted');
      return staffNote(`Dropped ${product.title} in <#${channelId}>.`);
    } catch (err) {
      const code = discordErrorCode(err);
      if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS || httpStatusOf(err) === 403) {
        return staffNote(`I cannot post in <#${channelId}>: give the bot View Channel and Send Messages there, then try again.`);
      }
      if (code === UNKNOWN_CHANNEL || httpStatusOf(err) === 404) return staffNote(`I cannot find the channel <#${channelId}>.`);
      throw err;
    }
  }

  private async find(store: StoreRecord, wanted: string): Promise<ProductRecord | null> {
    const bySlug = await this.deps.catalog.product(store.id, wanted, { includeHidden: true }).catch(nullIfNotFound);
    if (bySlug) return bySlug;
    // A drop is public: no best guess, only the product chosen from the suggestions (its slug) or named exactly.
    const hits = (await this.deps.search.products({ storeId: store.id, q: wanted, sort: 'relevance', limit: 5, statuses: ['active'] })).items;
    const exact = hits.find((p) => p.title.toLowerCase() === wanted.toLowerCase());
    return exact ? this.deps.catalog.product(store.id, exact.id).catch(nullIfNotFound) : null;
  }
}

/**
 * A public product post: embed with price and picture, and one Buy button
 * (one variant) or a menu of the variants in stock. Pressing it is an
 * ordinary "add 1 to cart" for whoever pressed it, answered only to them.
 */
export function dropMessage(p: ProductRecord): DiscordMessage | null {
  const inStock = p.variants.filter((v) => v.onHand - v.reserved > 0);
  if (!inStock.length) return null;
  const price = (amount: number, currency: string) => staffT.money({ amount, currency });
  const lowest = Math.min(...inStock.map((v) => v.price));
  const priceText = inStock.some((v) => v.price !== lowest) ? `from ${price(lowest, p.currency)}` : price(lowest, p.currency);
  const image = p.images[0]?.url;
  const embed: APIEmbed = {
    title: cut(p.title, LIMITS.embedTitle),
    description: cut([`**${priceText}**`, p.description].filter(Boolean).join('\n\n'), 1000),
    ...(image && { image: { url: image } }),
  };
  let rows: Row[];
  const [only] = inStock;
  if (p.variants.length === 1 && only) {
    rows = [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Success, label: `Buy — ${price(only.price, only.currency)}`, custom_id: encodeAction({ op: 'add', variantId: only.id, quantity: 1 }) }] }];
  } else {
    const menu = select(
      PICK_BUY,
      'Choose one to buy',
      inStock.map((v) => ({ label: v.title || v.sku, value: encodeAction({ op: 'add', variantId: v.id, quantity: 1 }), description: price(v.price, v.currency) })),
    );
    rows = menu ? [menu] : [];
  }
  return { embeds: [embed], components: rows, private: false };
}
