import { describe, expect, it } from 'vitest';
import { formatMoney, multiply, parseDecimal, sum } from '../../src/shared/money.ts';

describe('money in minor units', () => {
  it('formats exactly, without floats', () => {
    expect(formatMoney({ amount: 2500, currency: 'EUR' })).toBe('25.00 EUR');
    expect(formatMoney({ amount: 5, currency: 'EUR' })).toBe('0.05 EUR');
    expect(formatMoney({ amount: 1500, currency: 'JPY' })).toBe('1500 JPY');
    expect(formatMoney({ amount: -1999, currency: 'USD' })).toBe('-19.99 USD');
  });

  it('parses decimal text into minor units', () => {
    expect(parseDecimal('24.90', 'EUR')).toBe(2490);
    expect(parseDecimal('0.1', 'EUR')).toBe(10);
    expect(parseDecimal('19,99', 'EUR')).toBe(1999);
    expect(parseDecimal('7', 'EUR')).toBe(700);
    expect(parseDecimal('1500', 'JPY')).toBe(1500);
  });

  it('refuses amounts that are not money', () => {
    expect(parseDecimal('1.999', 'EUR')).toBeNull();
    expect(parseDecimal('-3', 'EUR')).toBeNull();
    expect(parseDecimal('abc', 'EUR')).toBeNull();
    expect(parseDecimal('1.5', 'JPY')).toBeNull();
  });

  it('sums and multiplies as integers and refuses overflow', () => {
    expect(sum([1999, 1, 2500])).toBe(4500);
    expect(multiply(1999, 3)).toBe(5997);
    expect(() => multiply(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
});
