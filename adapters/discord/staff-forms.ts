import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { OrderService } from '../../src/orders/orders.service.ts';
import type { RefundService } from '../../src/payments/refund.service.ts';
import { parseDecimal } from '../../src/shared/money.ts';
import { formErrorMessage, modalData, valuesFromMessage, type ModalForm } from './modals.ts';
import type { DiscordMessage } from './render.ts';
import { nullIfNotFound, orderMessage, refundable, staffNote, staffT, STAFF_PREFIX, type StaffDesk } from './staff.ts';

/** Modal ids: `d:sm:<number>` (mark shipped), `d:rm:<number>` (refund). */
const SHIP_MODAL = /^d:sm:(\d{1,9})$/;
const REFUND_MODAL = /^d:rm:(\d{1,9})$/;
/** The buttons that open them: `d:st:<number>:s` and `d:st:<number>:r`. */
const OPENERS = /^d:st:(\d{1,9}):([sr])$/;

const shipForm = (n: string): ModalForm => ({
  customId: `d:sm:${n}`,
  title: `Mark order #${n} shipped`,
  fields: [
    { id: 'tracking', label: 'Tracking number', placeholder: 'e.g. 1Z999AA10123456784 (optional)', required: false, maxLength: 100 },
    { id: 'carrier', label: 'Carrier tracking URL', placeholder: 'https://… (optional)', required: false, maxLength: 500 },
  ],
});

const refundForm = (n: string): ModalForm => ({
  customId: `d:rm:${n}`,
  title: `Refund order #${n}`,
  fields: [{ id: 'amount', label: 'Amount', description: 'e.g. 12.50 in the order currency; leave empty to refund all that is left', required: false, maxLength: 12 }],
});

export interface StaffFormDeps {
  orders: OrderService;
  refunds: RefundService;
  desk: StaffDesk;
}

/**
 * The staff actions that need typing: "Mark shipped" asks for a tracking
 * number and carrier URL, "Refund" for an amount. A bad entry is answered
 * with every problem and everything typed, and a button that opens the form
 * again, filled in.
 */
export class StaffForms {
  constructor(private readonly deps: StaffFormDeps) {}

  /** The modal a staff button opens (no database needed, so it is shown at once); null if the id is not one. */
  open(customId: string, message?: Parameters<typeof valuesFromMessage>[1]): APIModalInteractionResponseCallbackData | null {
    const m = OPENERS.exec(customId);
    if (!m?.[1]) return null;
    const form = m[2] === 's' ? shipForm(m[1]) : refundForm(m[1]);
    return modalData(form, valuesFromMessage(form, message));
  }

  static isModal(customId: string): boolean {
    return SHIP_MODAL.test(customId) || REFUND_MODAL.test(customId);
  }

  static opens(customId: string): boolean {
    return OPENERS.test(customId);
  }

  async submit(store: StoreRecord, userId: string, customId: string, values: Record<string, string>): Promise<DiscordMessage | null> {
    const actor = `staff:discord:${userId}`;
    const ship = SHIP_MODAL.exec(customId)?.[1];
    if (ship) return this.ship(store, ship, values, actor);
    const refund = REFUND_MODAL.exec(customId)?.[1];
    if (refund) return this.refund(store, refund, values, actor);
    return null;
  }

  private async ship(store: StoreRecord, n: string, values: Record<string, string>, actor: string): Promise<DiscordMessage> {
    const form = shipForm(n);
    const trackingNumber = values.tracking?.trim() || undefined;
    const carrierUrl = values.carrier?.trim() || undefined;
    const problems: string[] = [];
    if (trackingNumber && [...trackingNumber].length > 100) problems.push('Tracking number: at most 100 characters');
    if (carrierUrl && !isWebUrl(carrierUrl)) problems.push('Carrier tracking URL: must be a web address starting with https:// or http://');
    if (problems.length) return formErrorMessage(form, values, problems, { customId: `${STAFF_PREFIX}${n}:s`, label: 'Edit and resend' });
    const r = await this.deps.orders.transition(store.id, n, 'shipped', actor, { trackingNumber, carrierUrl }).catch(nullIfNotFound);
    if (!r) return staffNote(`There is no order #${n}.`);
    if (!r.ok) return staffNote(r.message);
    return orderMessage(r.value, `Order #${r.value.number} marked shipped${trackingNumber ? ` (tracking ${trackingNumber})` : ''}; the buyer is told.`);
  }

  private async refund(store: StoreRecord, n: string, values: Record<string, string>, actor: string): Promise<DiscordMessage> {
    const form = refundForm(n);
    const order = await this.deps.desk.find(store, n);
    if (!order) return staffNote(`There is no order #${n}.`);
    const typed = values.amount?.trim() ?? '';
    const retry = { customId: `${STAFF_PREFIX}${n}:r`, label: 'Edit and resend' };
    const left = refundable(order);
    let amount: number | undefined;
    if (typed) {
      // "12.50" or "12.50 EUR" (the order's own currency only).
      const parsed = parseDecimal(typed.toUpperCase().endsWith(order.currency) ? typed.slice(0, -order.currency.length) : typed, order.currency);
      if (parsed === null || parsed <= 0) {
        return formErrorMessage(form, values, [`Amount: "${typed}" is not an amount in ${order.currency} such as 12.50`], retry);
      }
      if (left > 0 && parsed > left) {
        return formErrorMessage(form, values, [`Amount: at most ${staffT.money({ amount: left, currency: order.currency })} is left to refund`], retry);
      }
      amount = parsed;
    }
    const r = await this.deps.refunds.refund(store.id, n, amount, actor);
    if (!r.ok) return staffNote(r.message);
    const made = staffT.money({ amount: r.value.refund.amount, currency: r.value.refund.currency });
    return orderMessage(r.value.order, `Refunded ${made} on order #${r.value.order.number}.`);
  }
}

function isWebUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && text.length <= 500;
  } catch {
    return false;
  }
}
