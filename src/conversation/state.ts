import type { ProductSort } from '../search/search.ports.ts';

export interface SearchMemory {
  q: string;
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  options?: Record<string, string[]> | undefined;
  sort: ProductSort;
  /** 0-based page last shown. */
  page: number;
}

/** A change the language model proposed, waiting for the shopper's button. */
export interface PendingChange {
  token: string;
  kind: 'add';
  variantId: string;
  quantity: number;
  expiresAt: string;
}

/** What the engine remembers between turns of one chat. */
export interface ConversationMemory {
  lastSearch?: SearchMemory | undefined;
  /** Product ids of the last list shown, in order ("those", "the first one", "compare"). */
  lastResults?: string[] | undefined;
  /** Product the shopper is looking at, and the variant they picked. */
  focusProductId?: string | undefined;
  focusVariantId?: string | undefined;
  /** Browsing a category (for "More"). */
  lastCategoryId?: string | undefined;
  pending?: PendingChange | undefined;
  /** A /forgetme waiting for its confirmation button. */
  forgetToken?: { token: string; expiresAt: string } | undefined;
  /** A rating just given: the shopper's next free text (before expiresAt) becomes that review's words. */
  reviewComment?: { reviewId: string; expiresAt: string } | undefined;
  /** chat|username|locale as last reported; a change refreshes the customer's identity. */
  identitySeen?: string | undefined;
  /** Last few turns as the language model saw them (only with OPENAI_API_KEY; short, capped). */
  modelHistory?: { role: 'user' | 'assistant'; text: string }[] | undefined;
}

export interface StoredConversation {
  memory: ConversationMemory;
  customerId: string | null;
  locale: string | null;
  version: number;
}

export interface ConversationStateStore {
  load(storeId: string, key: string): Promise<StoredConversation | null>;
  /**
   * Writes if the stored version is still `expectedVersion` (0 = new); false
   * when another turn of the same chat wrote first.
   */
  save(storeId: string, key: string, state: Omit<StoredConversation, 'version'>, expectedVersion: number): Promise<boolean>;
}
