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
export const staffT = translator('en');
const t = staffT;
export const STAFF_PREFIX = 'd:st:';
export const MARKABLE = ['fulfilled', 'shipped', 'delivered'] as const satisfies readonly OrderStatus[];
/** Button codes of `d:st:<number>:<code>`: mark (f, s opens the shipping modal, d), refund, cancel, confirm cancel, view. */
export const MARK_CODES: Record<string, (typeof MARKABLE)[number]> = { f: 'fulfilled', s: 'shipped', d: 'delivered' };
const LIST_SIZE = 10;

export const staffNote = (text: string): DiscordMessage => ({ content: text, embeds: [], components: [], private: true });
const money = (o: OrderRecord, amount: number) => t.money({ amount, currency: o.currency });
const line = (o: OrderRecord) => `#${o.number} · ${t.m.status({ status: o.status })} · ${money(o, o.total)} · ${t.date(o.createdAt)}`;
const button = (label: string, customId: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger | ButtonStyle.Success = ButtonStyle.Primary): APIButtonComponent => ({
  type: ComponentType.Button,
  style,
  label: cut(label, LIMITS.buttonLabel),
  custom_id: `${STAFF_PREFIX}${customId}`,
});

function markButtons(o: OrderRecord): APIButtonComponent[] {
  const next = allowedTransitions(o.status);
  return Object.entries(MARK_CODES)
    .filter(([, status]) => next.includes(status))
    .map(([code, status]) => button(`#${o.number} → ${status}`, `${o.number}:${code}`));
}

/** What is left to refund on the order's completed payment (0 when none). */
export function refundable(o: OrderRecord): number {
  const p = o.payments.find((x) => x.status === 'succeeded' || x.status === 'partially_refunded');
  return p ? p.amount - p.refunded : 0;
}

/** The order view's buttons: move it on, refund what is left, cancel while it can be. */
function orderButtons(o: OrderRecord): APIButtonComponent[] {
  return [
    ...markButtons(o),
    ...(refundable(o) > 0 ? [button(`Refund #${o.number}`, `${o.number}:r`, ButtonStyle.Secondary)] : []),
    ...(allowedTransitions(o.status).includes('cancelled') ? [button(`Cancel #${o.number}`, `${o.number}:c`, ButtonStyle.Danger)] : []),
  ];
}

export function orderMessage(o: OrderRecord, headline?: string): DiscordMessage {
  const items = o.items.map((i) => `${i.quantity} × ${i.variantTitle ? `${i.title} (${i.variantTitle})` : i.title} — ${money(o, i.lineTotal)}`);
  const paid = o.payments.find((p) => p.refunded > 0);
  const extra = [
    paid && `Refunded: ${money(o, paid.refunded)} of ${money(o, paid.amount)}`,
    o.trackingNumber && `Tracking: ${o.trackingNumber}${o.carrierUrl ? ` · ${o.carrierUrl}` : ''}`,
  ].filter(Boolean);
  return {
    content: headline,
    embeds: [
      {
        title: `Order #${o.number} — ${t.m.status({ status: o.status })}`,
        description: cut([...items, '', `Total: ${money(o, o.total)} · ${o.channel} · ${t.date(o.createdAt)}`, ...extra].join('\n'), LIMITS.embedDescription),
      },
    ],
    components: buttonRows([orderButtons(o)], LIMITS.actionRows),
    private: true,
  };
}

/** "Cancel order #n?" with a confirm and a back button. */
export function cancelPrompt(o: OrderRecord): DiscordMessage {
  const warning = o.status === 'pending_payment' ? 'Its reserved stock goes back on sale.' : 'Its payment is refunded in full first, and its stock goes back on sale.';
  return {
    content: `Cancel order #${o.number} (${t.m.status({ status: o.status })}, ${money(o, o.total)})? ${warning}`,
    embeds: [],
    components: buttonRows([[button(`Yes, cancel #${o.number}`, `${o.number}:cy`, ButtonStyle.Danger), button('Back', `${o.number}:v`, ButtonStyle.Secondary)]], 1),
    private: true,
  };
}

export interface StaffDeps {
  orders: OrderService;
  /** Discord user ids of SELLER_IDS entries `discord:<id>`. */
  staff: ReadonlySet<string>;
  /** DISCORD_STAFF_ROLE_ID: members with this role are staff too. */
  staffRoleId?: string | undefined;
  log: Logger;
}

/**
 * Who counts as staff (SELLER_IDS `discord:<id>` or the staff role), and the
 * order desk: `/staff orders` (recent orders) and `/staff order <number>`,
 * with buttons that move an order on. Anyone else is refused and the attempt logged.
 */
export class StaffDesk {
  constructor(private readonly deps: StaffDeps) {}

  /** `roles` are the member's role ids as Discord sent them with the (signed) interaction; none in DMs. */
  isStaff(userId: string, roles: readonly string[] = []): boolean {
    return this.deps.staff.has(userId) || (this.deps.staffRoleId !== undefined && roles.includes(this.deps.staffRoleId));
  }

  refuse(userId: string, attempted: string): DiscordMessage {
    this.deps.log.warn({ discordUser: userId, attempted }, 'seller command refused: not staff');
    return staffNote('Sorry, that is for the shop staff only.');
  }

  async list(store: StoreRecord, status: string | undefined): Promise<DiscordMessage> {
    const page = await this.deps.orders.list(store.id, { limit: LIST_SIZE, ...(status && isOrderStatus(status) && { status }) });
    if (!page.items.length) return staffNote('No orders yet.');
    return {
      embeds: [{ title: 'Latest orders', description: page.items.map(line).join('\n') }],
      components: buttonRows(page.items.map(markButtons), LIMITS.actionRows),
      private: true,
    };
  }

  async show(store: StoreRecord, number: number): Promise<DiscordMessage> {
    const order = await this.find(store, String(number));
    return order ? orderMessage(order) : staffNote(`There is no order #${number}.`);
  }

  /** The order buttons that change something at once: `d:st:<number>:<f|d|c|cy|v>`; null for anything else. */
  async button(store: StoreRecord, userId: string, customId: string): Promise<DiscordMessage | null> {
    const m = /^d:st:(\d{1,9}):(f|d|c|cy|v)$/.exec(customId);
    const number = m?.[1];
    const code = m?.[2];
    if (!number || !code) return null;
    const actor = `staff:discord:${userId}`;
    if (code === 'v' || code === 'c') {
      const order = await this.find(store, number);
      if (!order) return staffNote(`There is no order #${number}.`);
      return code === 'v' ? orderMessage(order) : cancelPrompt(order);
    }
    const to: OrderStatus = code === 'cy' ? 'cancelled' : (MARK_CODES[code] ?? 'fulfilled');
    const r = await this.deps.orders.transition(store.id, number, to, actor).catch(nullIfNotFound);
    if (!r) return staffNote(`There is no order #${number}.`);
    if (!r.ok) return staffNote(r.message);
    return orderMessage(r.value, to === 'cancelled' ? `Order #${r.value.number} cancelled.` : `Order #${r.value.number} marked ${to}.`);
  }

  find(store: StoreRecord, number: string): Promise<OrderRecord | null> {
    return this.deps.orders.get(store.id, number).catch(nullIfNotFound);
  }
}

export function nullIfNotFound(err: unknown): null {
  if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
  throw err;
}
