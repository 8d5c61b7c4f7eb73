import type { Money } from '../shared/money.ts';

export type ChannelName = 'telegram' | 'discord' | 'web' | 'api';

/** What a channel can show; the engine shapes its replies to fit. */
export interface ChannelCapabilities {
  /** Most buttons one reply may carry. */
  maxButtons: number;
  /** Longest action payload in bytes (Telegram callback_data 64, Discord custom_id 100). */
  maxActionBytes: number;
  /** Most products one list reply shows. */
  pageSize: number;
}

export const defaultCapabilities: Record<ChannelName, ChannelCapabilities> = {
  telegram: { maxButtons: 12, maxActionBytes: 64, pageSize: 5 },
  discord: { maxButtons: 25, maxActionBytes: 100, pageSize: 5 },
  web: { maxButtons: 20, maxActionBytes: 200, pageSize: 6 },
  api: { maxButtons: 20, maxActionBytes: 200, pageSize: 6 },
};

export interface ConversationIdentity {
  /** Platform user id, or the client-chosen session id of a web chat. */
  externalUserId: string;
  chatId?: string | undefined;
  username?: string | undefined;
  displayName?: string | undefined;
  /** BCP 47 tag from the platform or browser, e.g. "en-GB", "zh-CN". */
  locale?: string | undefined;
}

/** One turn from any channel: exactly one of text, action or command. */
export interface ConversationInput {
  store: string;
  channel: ChannelName;
  identity: ConversationIdentity;
  text?: string | undefined;
  action?: string | undefined;
  command?: { name: string; args: string } | undefined;
  capabilities?: ChannelCapabilities | undefined;
}

export type Button = { label: string; action: string } | { label: string; url: string };

export interface ProductCard {
  id: string;
  slug: string;
  title: string;
  price: Money;
  priceText: string;
  compareAtText: string | null;
  imageUrl: string | null;
  /** "In stock", "Only 2 left", "Sold out" in the shopper's language. */
  stockHint: string;
  available: number;
  /** Average stars and how many ratings, when the product has any. */
  rating?: { average: number; count: number } | undefined;
  buttons: Button[];
}

export interface VariantChoice {
  id: string;
  sku: string;
  label: string;
  priceText: string;
  available: number;
}

export type Reply =
  | { type: 'text'; text: string; buttons?: Button[] }
  | { type: 'image'; url: string; caption?: string }
  | { type: 'products'; title: string; items: ProductCard[]; buttons?: Button[] }
  | {
      type: 'product';
      product: ProductCard & { description: string; images: string[]; options: Record<string, string[]>; variants: VariantChoice[] };
      text: string;
      buttons: Button[];
    }
  | {
      type: 'cart';
      text: string;
      lines: { id: string; title: string; quantity: number; lineTotalText: string; imageUrl: string | null }[];
      totalText: string;
      total: Money;
      buttons: Button[];
    }
  | { type: 'compare'; title: string; columns: string[]; rows: { label: string; values: string[] }[]; buttons?: Button[] }
  | {
      type: 'checkout';
      text: string;
      orderNumber: number;
      total: Money;
      totalText: string;
      provider: string | null;
      url: string | null;
      expiresAt: string | null;
      buttons: Button[];
    }
  | { type: 'orders'; text: string; items: { number: number; status: string; statusText: string; totalText: string; date: string }[]; buttons?: Button[] };
