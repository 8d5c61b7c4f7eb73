import type { z } from 'zod';
import { availableOf } from '../../catalog/catalog.types.ts';
import { currencyExponent } from '../../shared/money.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import { proposeAdd, showCart } from '../handlers/cart.handlers.ts';
import { myOrders } from '../handlers/checkout.handlers.ts';
import { loadProduct, recommend, showProduct } from '../handlers/product.handlers.ts';
import { search } from '../handlers/search.handlers.ts';
import type { SearchRequest } from '../intents/intent.types.ts';
import type { ToolCall } from './language-model.ts';
import { factsOf } from './tool-facts.ts';
import { isToolName, toolArgs, type ToolArgs } from './tools.ts';

/** What one tool call produced: replies for the shopper and a JSON result for the model. */
export interface ToolOutcome {
  replies: Reply[];
  result: Record<string, unknown>;
}

const rejected = (error: string): ToolOutcome => ({ replies: [], result: { ok: false, error } });
const shown = (replies: Reply[], extra: Record<string, unknown> = {}): ToolOutcome => ({ replies, result: { ok: true, ...extra, shown_to_shopper: factsOf(replies) } });

/**
 * Runs one tool call through the engine's own handlers. Arguments are
 * validated; ids that do not exist in this store are rejected back to the
 * model; the cart only changes after the shopper taps "Yes".
 */
export async function runTool(deps: EngineDeps, ctx: TurnContext, call: ToolCall, userText: string): Promise<ToolOutcome> {
  if (!isToolName(call.name)) return rejected(`unknown tool "${call.name}"`);
  let raw: unknown;
  try {
    raw = call.arguments.trim() ? JSON.parse(call.arguments) : {};
  } catch {
    return rejected('arguments are not valid JSON');
  }
  switch (call.name) {
    case 'search_products':
      return withArgs(toolArgs.search_products, raw, (a) => searchProducts(deps, ctx, a, userText));
    case 'product_details':
      return withArgs(toolArgs.product_details, raw, async ({ product_id }) => {
        const replies = await showProduct(deps, ctx, product_id);
        return replies ? shown(replies) : rejected(`no product "${product_id}" in this shop; use a product_id returned by a tool`);
      });
    case 'add_to_cart':
      return withArgs(toolArgs.add_to_cart, raw, (a) => addToCart(deps, ctx, a));
    case 'view_cart':
      return shown(await showCart(deps, ctx));
    case 'checkout':
      // Placing the order closes the cart and holds stock: the shopper taps "Checkout" on the cart themselves.
      return shown(await showCart(deps, ctx), { status: 'the shopper places the order with the Checkout button on the cart' });
    case 'order_status':
      return shown(await myOrders(deps, ctx));
    case 'recommend':
      return withArgs(toolArgs.recommend, raw, async ({ product_id }) => {
        const product = product_id ? await loadProduct(deps, ctx, product_id) : null;
        if (product_id && !product) return rejected(`no product "${product_id}" in this shop; use a product_id returned by a tool`);
        return shown(await recommend(deps, ctx, product?.id ?? null));
      });
  }
}

/** Validates the model's arguments; invalid ones go back to the model as a tool error. */
function withArgs<T>(schema: z.ZodType<T>, raw: unknown, run: (args: T) => Promise<ToolOutcome>): Promise<ToolOutcome> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return run(parsed.data);
  return Promise.resolve(rejected(`invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`));
}

async function searchProducts(deps: EngineDeps, ctx: TurnContext, a: ToolArgs<'search_products'>, userText: string): Promise<ToolOutcome> {
  const currency = ctx.store.currency;
  const toMinor = (major: number | null | undefined) => (major === null || major === undefined ? undefined : Math.round(major * 10 ** currencyExponent(currency)));
  let minPrice = toMinor(a.min_price);
  let maxPrice = toMinor(a.max_price);
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) [minPrice, maxPrice] = [maxPrice, minPrice];
  const notes: string[] = [];
  const labels: string[] = [];
  let category: string | undefined;
  if (a.category) {
    const vocab = await deps.search.vocabulary(ctx.store.id);
    const wanted = a.category.trim().toLowerCase();
    const found = vocab.categories.find((c) => c.slug === wanted || c.name.toLowerCase() === wanted);
    if (found) {
      category = found.slug;
      labels.push(found.name);
    } else notes.push(`unknown category "${a.category}" was ignored`);
  }
  let options: Record<string, string[]> | undefined;
  for (const [name, values] of Object.entries(a.options ?? {})) {
    if (!values.length) continue;
    (options ??= {})[name.toLowerCase()] = values;
    labels.push(`${name.toLowerCase()} ${values.join('/')}`);
  }
  const q = a.q?.trim() ?? '';
  const req: SearchRequest = { q, minPrice, maxPrice, category, options, sort: a.sort ?? 'relevance', filterLabels: labels };
  const replies = await search(deps, ctx, req, q || userText);
  return shown(replies, notes.length ? { notes } : {});
}

async function addToCart(deps: EngineDeps, ctx: TurnContext, a: ToolArgs<'add_to_cart'>): Promise<ToolOutcome> {
  const quantity = a.quantity ?? 1;
  const variant = await deps.catalog.variant(ctx.store.id, a.variant_id);
  const product = variant ? await loadProduct(deps, ctx, variant.productId) : null;
  if (!variant || !product) {
    const asProduct = variant ? null : await loadProduct(deps, ctx, a.variant_id);
    const hint = asProduct ? 'that is a product_id; call product_details for its variant_id values' : 'use a variant_id returned by a tool';
    return rejected(`no variant "${a.variant_id}" for sale in this shop; ${hint}`);
  }
  const available = availableOf(variant);
  if (available < quantity) return rejected(`only ${available} available of this variant`);
  const replies = await proposeAdd(deps, ctx, variant.id, quantity);
  return shown(replies, { status: 'waiting for the shopper to tap Yes; nothing is in the cart yet' });
}
