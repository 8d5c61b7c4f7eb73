/**
 * numerator / denominator rounded half-up to a whole minor unit, exactly:
 * BigInt arithmetic, no floats. Both arguments are non-negative safe integers,
 * the denominator positive. 12.5 → 13, 12.4999… → 12.
 */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): number {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divRoundHalfUp needs a non-negative numerator and a positive denominator');
  const q = (numerator * 2n + denominator) / (denominator * 2n);
  const n = Number(q);
  if (!Number.isSafeInteger(n)) throw new RangeError('money overflow');
  return n;
}
