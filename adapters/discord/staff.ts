import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord-api-types/v10';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { allowedTransitions, isOrderStatus, type OrderStatus } from '../../src/orders/order-state.ts';
import type { OrderService } from '../../src/orders/orders.service.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { buttonRows } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import type { DiscordMessage } from './render.ts';

/** Staff-facing texts are English for now (as on Telegram); shoppers get their own language. */
const t = translator('en');
export const STAFF_PREFIX = 'd:st:';
export const MARKABLE = ['fulfilled', 'shipped', 'delivered'] as const satisfies readonly OrderStatus[];
const CODES: Record<string, (typeof MARKABLE)[number]> = { f: 'fulfilled', s: 'shipped', d: 'delivered' };
const LIST_SIZE = 10;

const note = (text: string): DiscordMessage => ({ content: text, embeds: [], components: [], private: true });
const money = (o: OrderRecord, amount: number) => t.money({ amount, currency: o.currency });
const line = (o: OrderRecord) => `#${o.number} · ${t.m.status({ status: o.status })} · ${money(o, o.total)} · ${t.date(o.createdAt)}`;

function markButtons(o: OrderRecord): APIButtonComponent[] {
  const next = allowedTransitions(o.status);
  return Object.entries(CODES)
    .filter(([, status]) => next.includes(status))
    .map(([code, status]) => ({ type: ComponentType.Button, style: ButtonStyle.Primary, label: `#${o.number} → ${status}`, custom_id: `${STAFF_PREFIX}${o.number}:${code}` }));
}

function orderMessage(o: OrderRecord, headline?: string): DiscordMessage {
  const items = o.items.map((i) => `${i.quantity} × ${i.variantTitle ? `${i.title} (${i.variantTitle})` : i.title} — ${money(o, i.lineTotal)}`);
  return {
    content: headline,
    embeds: [{ title: `Order #${o.number} — ${t.m.status({ status: o.status })}`, description: cut([...items, '', `Total: ${money(o, o.total)} · ${o.channel} · ${t.date(o.createdAt)}`].join('\n'), LIMITS.embedDescription) }],
    components: buttonRows([markButtons(o)], LIMITS.actionRows),
    private: true,
  };
}

export interface StaffDeps {
  orders: OrderService;
  /** Discord user ids of SELLER_IDS entries `discord:<id>`. */
  staff: ReadonlySet<string>;
  log: Logger;
}

/**
 * Seller commands for the staff identities of SELLER_IDS: `/staff orders`
 * (recent orders) and `/staff order <number>`, with buttons that move an order
 * to fulfilled, shipped or delivered. Anyone else is refused and the attempt logged.
 */
export class StaffDesk {
  constructor(private readonly deps: StaffDeps) {}

  isStaff(userId: string): boolean {
    return this.deps.staff.has(userId);
  }

  refuse(userId: string, attempted: string): DiscordMessage {
    this.deps.log.warn({ discordUser: userId, attempted }, 'seller command refused: not staff');
    return note('Sorry, that is for the shop staff only.');
  }

  async list(store: StoreRecord, status: string | undefined): Promise<DiscordMessage> {
    const page = await this.deps.orders.list(store.id, { limit: LIST_SIZE, ...(status && isOrderStatus(status) && { status }) });
    if (!page.items.length) return note('No orders yet.');
    return {
      embeds: [{ title: 'Latest orders', description: page.items.map(line).join('\n') }],
      components: buttonRows(page.items.map(markButtons), LIMITS.actionRows),
      private: true,
    };
  }

  async show(store: StoreRecord, number: number): Promise<DiscordMessage> {
    const order = await this.find(store, String(number));
    return order ? orderMessage(order) : note(`There is no order #${number}.`);
  }

  /** A "mark" button: `d:st:<number>:<f|s|d>`. */
  async mark(store: StoreRecord, userId: string, customId: string): Promise<DiscordMessage | null> {
    const m = /^d:st:(\d{1,9}):([fsd])$/.exec(customId);
    const to = m?.[2] ? CODES[m[2]] : undefined;
    if (!m?.[1] || !to) return null;
    const r = await this.deps.orders.transition(store.id, m[1], to, `staff:discord:${userId}`).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
    if (!r) return note(`There is no order #${m[1]}.`);
    if (!r.ok) return note(r.message);
    return orderMessage(r.value, `Order #${r.value.number} marked ${to}.`);
  }

  private find(store: StoreRecord, number: string): Promise<OrderRecord | null> {
    return this.deps.orders.get(store.id, number).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
  }
}
