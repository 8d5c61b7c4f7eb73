import { fail, ok, type Result } from '../shared/errors.ts';

/** Where an order ships. Stored as JSON on the cart and copied onto the order at checkout. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  /** State, province or county where the country uses one (optional). */
  state?: string | undefined;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case ("DE"). */
  country: string;
  phone?: string | undefined;
}

export type ShippingAddressInput = { [K in keyof ShippingAddress]?: unknown };

export interface AddressIssue {
  field: keyof ShippingAddress;
  message: string;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** A real ISO 3166-1 alpha-2 region ("DE", "GB"), not just two letters. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  // User-assigned codes (AA, QM–QZ, XA–XZ, ZZ) name no country.
  if (/^(AA|Q[M-Z]|X[A-Z]|ZZ)$/.test(code)) return false;
  try {
    return regions.of(code) !== undefined;
  } catch {
    return false;
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '');

/**
 * Checks a shopper's address and returns it normalised (trimmed, single
 * spaces, country upper-case), or every problem at once, each naming its
 * field, so a form can mark them all.
 */
export function validateShippingAddress(input: ShippingAddressInput): Result<ShippingAddress> {
  const issues: AddressIssue[] = [];
  const field = (name: keyof ShippingAddress, max: number, required: boolean, label: string): string | undefined => {
    const raw = input[name];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      issues.push({ field: name, message: `${label} must be text` });
      return undefined;
    }
    const v = text(raw);
    if (!v) {
      if (required) issues.push({ field: name, message: `${label} is required` });
      return undefined;
    }
    if ([...v].length > max) issues.push({ field: name, message: `${label} must be at most ${max} characters` });
    return v;
  };
  const name = field('name', 100, true, 'Name');
  const line1 = field('line1', 200, true, 'Address line 1');
  const line2 = field('line2', 200, false, 'Address line 2');
  const city = field('city', 100, true, 'City');
  const state = field('state', 100, false, 'State or region');
  const postalCode = field('postalCode', 16, true, 'Postal code');
  if (postalCode && !/^[A-Za-z0-9][A-Za-z0-9 -]*$/.test(postalCode)) {
    issues.push({ field: 'postalCode', message: 'Postal code may hold only letters, digits, spaces and dashes' });
  }
  const country = field('country', 2, true, 'Country')?.toUpperCase();
  if (country && !isCountryCode(country)) {
    issues.push({ field: 'country', message: `Country must be a two-letter ISO 3166-1 code such as "DE" or "US", not "${country}"` });
  }
  const phone = field('phone', 24, false, 'Phone');
  if (phone && !/^\+?[0-9][0-9 ()./-]{4,22}$/.test(phone)) {
    issues.push({ field: 'phone', message: 'Phone must be digits, optionally starting with + (e.g. +49 30 1234567)' });
  }
  if (issues.length || !name || !line1 || !city || !postalCode || !country) {
    const first = issues[0];
    return fail('VALIDATION_FAILED', first ? `${first.field}: ${first.message}` : 'The address is incomplete', {
      issues: issues.map((i) => ({ path: i.field, message: i.message })),
    });
  }
  return ok({ name, line1, ...(line2 && { line2 }), city, ...(state && { state }), postalCode, country, ...(phone && { phone }) });
}

/**
 * An address a payment provider collected (Stripe Checkout, Telegram). The
 * provider has its own rules (some countries have no postal code), so nothing
 * is refused: fields are trimmed, cut to size and kept as given.
 */
export function providerAddress(a: { name?: string | null; line1?: string | null; line2?: string | null; city?: string | null; state?: string | null; postalCode?: string | null; country?: string | null; phone?: string | null }): ShippingAddress | null {
  const cut = (v: string | null | undefined, max: number) => text(v).slice(0, max);
  const line1 = cut(a.line1, 200);
  const country = cut(a.country, 2).toUpperCase();
  if (!line1 && !country) return null;
  const opt = (v: string) => v || undefined;
  return {
    name: cut(a.name, 100),
    line1,
    line2: opt(cut(a.line2, 200)),
    city: cut(a.city, 100),
    state: opt(cut(a.state, 100)),
    postalCode: cut(a.postalCode, 16),
    country,
    phone: opt(cut(a.phone, 24)),
  };
}

/** An address read back from JSON; anything that is not an object of strings is ignored. */
export function parseStoredAddress(json: unknown): ShippingAddress | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const s = (k: string) => (typeof o[k] === 'string' ? o[k] : undefined);
  const line1 = s('line1');
  const country = s('country');
  if (line1 === undefined || country === undefined) return null;
  return { name: s('name') ?? '', line1, line2: s('line2'), city: s('city') ?? '', state: s('state'), postalCode: s('postalCode') ?? '', country, phone: s('phone') };
}

/** One line per part, for chat messages and staff notices. */
export function formatAddress(a: ShippingAddress): string {
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(' ');
  return [a.name, a.line1, a.line2, [cityLine, a.state].filter(Boolean).join(', '), a.country, a.phone].filter(Boolean).join('\n');
}
