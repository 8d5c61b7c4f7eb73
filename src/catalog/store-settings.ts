import { z } from 'zod';

/** Largest amount, weight or threshold a shipping rate may hold (fits a 32-bit integer). */
const MAX_INT = 2_000_000_000;
const minor = z.number().int().min(0).max(MAX_INT);
const countries = z
  .array(z.string().regex(/^[A-Z]{2}$/, 'countries are ISO 3166-1 alpha-2 codes, e.g. "DE"'))
  .min(1)
  .max(250);

const bracket = z.object({ upToGrams: z.number().int().min(1).max(MAX_INT), amount: minor }).strict();

const common = {
  name: z.string().trim().min(1).max(80),
  /** Shipping is waived when subtotal − discount reaches this (minor units). */
  freeOver: minor.optional(),
  /** Where this rate applies; absent: everywhere (see pickRate). */
  countries: countries.optional(),
};

const flatRate = z.object({ ...common, kind: z.literal('flat'), amount: minor }).strict();
const weightRate = z
  .object({ ...common, kind: z.literal('weight'), brackets: z.array(bracket).min(1).max(50) })
  .strict()
  .refine((r) => r.brackets.every((b, i) => i === 0 || (r.brackets[i - 1]?.upToGrams ?? 0) < b.upToGrams), {
    message: 'brackets must be listed by strictly increasing upToGrams',
    path: ['brackets'],
  });

/** One shipping rate as stored on a store (Store.shippingRates) and accepted by the REST API. */
export const shippingRateSchema = z.discriminatedUnion('kind', [flatRate, weightRate]);
export const shippingRatesSchema = z.array(shippingRateSchema).max(20);

export type ShippingRate = z.infer<typeof shippingRateSchema>;

/** A store's pricing settings: what the shipping and tax adjusters need. */
export interface StorePricing {
  /** Basis points: 2000 = 20 %. */
  taxRateBps: number;
  /** True: prices include tax (reported, not added); false: tax is added on top. */
  taxInclusive: boolean;
  shippingRates: ShippingRate[];
}

export const MAX_TAX_RATE_BPS = 10_000;

/**
 * Rates read back from the database. Anything that no longer validates is
 * dropped rather than trusted (the REST edge only ever writes valid lists).
 */
export function parseShippingRates(json: unknown): ShippingRate[] {
  if (json === null || json === undefined) return [];
  const parsed = shippingRatesSchema.safeParse(json);
  return parsed.success ? parsed.data : [];
}
