import { z } from 'zod';
import { productSorts } from '../../search/search.ports.ts';
import type { ToolSpec } from './language-model.ts';

/**
 * The typed tools the model may call. Arguments are validated here; facts
 * (prices, stock, products) only ever come back from the database.
 * Prices are in MAJOR units of the store currency (59.9 = €59.90).
 */
const id = z.string().trim().min(1).max(64);

export const toolArgs = {
  search_products: z.object({
    q: z.string().max(200).nullish().describe('Search words, e.g. "red hoodie"; empty to list by the filters only'),
    min_price: z.number().nonnegative().nullish().describe('Lowest price in major units of the store currency (59.9 means 59.90), not cents'),
    max_price: z.number().nonnegative().nullish().describe('Highest price in major units of the store currency (59.9 means 59.90), not cents'),
    category: z.string().max(64).nullish().describe('A category slug from the list in the instructions'),
    options: z.record(z.string(), z.array(z.string()).max(10)).nullish().describe('Variant options, e.g. {"size":["M"],"colour":["red"]}'),
    sort: z.enum(productSorts).nullish().describe('relevance (default), price_asc, price_desc or newest'),
  }),
  product_details: z.object({ product_id: id.describe('A product_id returned by another tool') }),
  add_to_cart: z.object({
    variant_id: id.describe('A variant_id returned by product_details or search_products'),
    quantity: z.number().int().min(1).max(20).nullish().describe('How many (default 1)'),
  }),
  view_cart: z.object({}),
  checkout: z.object({}),
  order_status: z.object({}),
  recommend: z.object({ product_id: id.nullish().describe('Recommend items like this product; omit for picks for this shopper') }),
} as const;

export type ToolName = keyof typeof toolArgs;
export type ToolArgs<N extends ToolName> = z.infer<(typeof toolArgs)[N]>;

const descriptions: Record<ToolName, string> = {
  search_products: 'Search the shop. The shopper sees the results as product cards with prices and buttons.',
  product_details: 'Show one product with its variants (variant_id, options, price, stock).',
  add_to_cart: 'Propose adding a variant to the cart. Nothing is added until the shopper taps Yes.',
  view_cart: "Show the shopper's cart with totals.",
  checkout: "Take the shopper to checkout: shows the cart with totals and the Checkout button that places the order.",
  order_status: "Show the status of the shopper's latest orders.",
  recommend: 'Recommend products: similar to a product, or picks for this shopper.',
};

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(toolArgs, name);
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    override: (ctx) => {
      delete ctx.jsonSchema.propertyNames;
    },
  });
  delete out.$schema;
  return out;
}

export const toolSpecs: ToolSpec[] = (Object.keys(toolArgs) as ToolName[]).map((name) => ({
  name,
  description: descriptions[name],
  parameters: jsonSchema(toolArgs[name]),
}));
