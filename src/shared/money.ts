/** Money is an integer number of minor units (cents) with an ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

/** Largest amount a price or total may hold: stays within a 32-bit database integer. */
export const MAX_MINOR_UNITS = 2_000_000_000;

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

export function multiply(unit: number, quantity: number): number {
  const v = unit * quantity;
  if (!Number.isSafeInteger(v)) throw new RangeError('money overflow');
  return v;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  if (!Number.isSafeInteger(total)) throw new RangeError('money overflow');
  return total;
}

const exponents: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, HUF: 2, BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3 };

/** Minor-unit exponent of a currency (2 for most). */
export function currencyExponent(currency: string): number {
  return exponents[currency] ?? 2;
}

/** "25.00 EUR"-style formatting for messages; exact, no float arithmetic. */
export function formatMoney(m: Money): string {
  const exp = currencyExponent(m.currency);
  const neg = m.amount < 0;
  const digits = String(Math.abs(m.amount)).padStart(exp + 1, '0');
  const whole = exp ? digits.slice(0, -exp) : digits;
  const frac = exp ? `.${digits.slice(-exp)}` : '';
  return `${neg ? '-' : ''}${whole}${frac} ${m.currency}`;
}

/**
 * Parses a decimal string such as "24.90" into minor units without floats.
 * Returns null when the text is not a valid amount for the currency.
 */
export function parseDecimal(text: string, currency: string): number | null {
  const exp = currencyExponent(currency);
  const m = /^\s*(\d{1,9})(?:[.,](\d+))?\s*$/.exec(text);
  if (!m?.[1]) return null;
  const frac = m[2] ?? '';
  if (frac.length > exp) return null;
  return Number(m[1]) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
}
