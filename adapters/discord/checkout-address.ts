import { ButtonStyle, ComponentType, type APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { CartService } from '../../src/cart/cart.service.ts';
import type { CartRecord } from '../../src/cart/cart.types.ts';
import { formatAddress } from '../../src/cart/shipping-address.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { isPhysical } from '../../src/checkout/shipping-adjuster.ts';
import type { ConversationIdentity } from '../../src/conversation/conversation.types.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import { formErrorMessage, modalData, valuesFromMessage, type ModalForm } from './modals.ts';
import type { DiscordMessage } from './render.ts';

/** The button that opens the address form, and the form's own id. */
export const ADDRESS_BUTTON = 'd:addr';
export const ADDRESS_MODAL = 'd:am';

const addressForm: ModalForm = {
  customId: ADDRESS_MODAL,
  title: 'Shipping address',
  fields: [
    { id: 'name', label: 'Full name', required: true, maxLength: 100 },
    { id: 'line1', label: 'Address', placeholder: 'Street and number, apartment', required: true, maxLength: 200 },
    { id: 'city', label: 'City', required: true, maxLength: 100 },
    { id: 'postalCode', label: 'Postal code', required: true, maxLength: 16 },
    { id: 'country', label: 'Country code', placeholder: 'Two letters, e.g. DE, US, GB', required: true, maxLength: 60 },
  ],
};

const addButton = (label: string) => ({ type: ComponentType.ActionRow as const, components: [{ type: ComponentType.Button as const, style: ButtonStyle.Primary as const, label, custom_id: ADDRESS_BUTTON }] });

export interface AddressDeps {
  carts: CartService;
  customers: CustomerService;
}

/**
 * Checkout of physical goods on Discord: before the order is placed the
 * shopper is asked where it ships, with a form (modal). The address is kept
 * on the cart (and copied onto the order at checkout); a bad entry is
 * answered with every problem and everything typed, and the form opens again
 * filled in. Digital-only carts, and carts that have an address, go straight on.
 */
export class CheckoutAddress {
  constructor(private readonly deps: AddressDeps) {}

  /** The address step when this shopper's cart needs one first; null to check out at once. */
  async step(store: StoreRecord, identity: ConversationIdentity): Promise<DiscordMessage | null> {
    const cart = await this.cart(store, identity);
    if (!cart.lines.some(isPhysical) || cart.shippingAddress) return null;
    return {
      content: 'Where should we send your order? Add a shipping address, then you get the payment link.',
      embeds: [],
      components: [addButton('Add shipping address')],
      private: true,
    };
  }

  /** The form, filled in again from a refused attempt when the button sits on one. */
  open(message?: Parameters<typeof valuesFromMessage>[1]): APIModalInteractionResponseCallbackData {
    return modalData(addressForm, valuesFromMessage(addressForm, message));
  }

  /** Saves the address on the shopper's open cart: the address as one line, or the message that says what to fix. */
  async submit(store: StoreRecord, identity: ConversationIdentity, values: Record<string, string>): Promise<{ saved: string } | { problem: DiscordMessage }> {
    const cart = await this.cart(store, identity);
    const r = await this.deps.carts.setShippingAddress(store.id, cart.id, {
      name: values.name,
      line1: values.line1,
      city: values.city,
      postalCode: values.postalCode,
      country: values.country?.trim().toUpperCase(),
    });
    if (r.ok) return { saved: r.value.cart.shippingAddress ? formatAddress(r.value.cart.shippingAddress).replace(/\n/g, ', ') : '' };
    if (r.code !== 'VALIDATION_FAILED') return { problem: { content: r.message, embeds: [], components: [], private: true } };
    // Each issue names its field ("Postal code is required"); all of them at once.
    const issues = issuesOf(r.details);
    return { problem: formErrorMessage(addressForm, values, issues.length ? issues : [r.message], { customId: ADDRESS_BUTTON, label: 'Edit address' }) };
  }

  private async cart(store: StoreRecord, identity: ConversationIdentity): Promise<CartRecord> {
    const customer = await this.deps.customers.identify(
      store.id,
      { channel: 'discord', externalUserId: identity.externalUserId, chatId: identity.chatId, username: identity.username, locale: identity.locale },
      { displayName: identity.displayName ?? identity.username ?? '' },
    );
    return this.deps.carts.open(store, { customerId: customer.id, channel: 'discord' });
  }
}

function issuesOf(details: unknown): string[] {
  if (typeof details !== 'object' || details === null || !('issues' in details) || !Array.isArray(details.issues)) return [];
  return details.issues.flatMap((i: unknown) => (typeof i === 'object' && i !== null && 'message' in i && typeof i.message === 'string' ? [i.message] : []));
}
