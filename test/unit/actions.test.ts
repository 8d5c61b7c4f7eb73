import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type Action } from '../../src/conversation/actions.ts';

/** Telegram's limit on a button's callback_data. */
const MAX_BYTES = 64;
const cuid = 'cm3x9k2l80000abcdefghijkl';

/** Every kind of button, its ids of one kind (a Prisma cuid, or a UUID as a catalog import makes them), numbers at their largest. */
function everyAction(id: () => string): Action[] {
  return [
    { op: 'menu' },
    { op: 'help' },
    { op: 'categories' },
    { op: 'category', id: id(), page: 999 },
    { op: 'more', page: 999 },
    { op: 'product', id: id() },
    { op: 'variant', id: id() },
    { op: 'add', variantId: id(), quantity: 999 },
    { op: 'cart' },
    { op: 'setQty', itemId: id(), quantity: 999 },
    { op: 'checkout' },
    { op: 'orders' },
    { op: 'recommend', productId: id() },
    { op: 'recommend', productId: null },
    { op: 'confirm', token: id() },
    { op: 'reject', token: id() },
    { op: 'order', id: id() },
    { op: 'returnAsk', orderId: id() },
    { op: 'returnConfirm', orderId: id() },
    { op: 'unsubscribe' },
    { op: 'privacy' },
    { op: 'forgetAsk' },
    { op: 'forget', token: id() },
    { op: 'removeCode' },
    { op: 'offer', productId: id(), broadcastId: id() },
    { op: 'notifyMe', variantId: id() },
    { op: 'rate', orderId: id(), productId: id(), stars: 5 },
  ];
}

describe('button payloads', () => {
  it.each([
    ['cuids', () => cuid],
    ['UUIDs (imported products, variants, categories)', randomUUID],
    [
      'a cuid and a UUID',
      (() => {
        let n = 0;
        return () => (n++ % 2 ? randomUUID() : cuid);
      })(),
    ],
  ])('fit in 64 bytes and read back the same, with ids that are %s', (_kind, id) => {
    for (const a of everyAction(id)) {
      const payload = encodeAction(a);
      expect(Buffer.byteLength(payload), payload).toBeLessThanOrEqual(MAX_BYTES);
      expect(decodeAction(payload)).toEqual(a);
    }
  });

  it('sends a UUID as 23 characters: a review request for an imported product keeps its stars', () => {
    const productId = randomUUID();
    const payload = encodeAction({ op: 'rate', orderId: cuid, productId, stars: 4 });
    // Written out, "1R:<cuid>:<uuid>:4" is 67 bytes: Telegram refuses it, and the renderer dropped the button.
    expect(`1R:${cuid}:${productId}:4`.length).toBe(67);
    expect(payload).toMatch(/^1R:cm3x9k2l80000abcdefghijkl:\.[0-9A-Za-z]{22}:4$/);
    // Payloads written before (a UUID in full, where it fits) still read.
    expect(decodeAction(`1p:${productId}`)).toEqual({ op: 'product', id: productId });
  });

  it('refuses a packed id that is not one encodeAction writes', () => {
    expect(decodeAction('1p:.0000000000000000000000')).toEqual({ op: 'product', id: '00000000-0000-0000-0000-000000000000' });
    expect(decodeAction('1p:.7n42DGM5Tflk9n8mt7Fhc7')).toEqual({ op: 'product', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' });
    for (const forged of [
      '1p:.short',
      // One past the largest UUID, a character outside the alphabet, a second dot.
      '1p:.7n42DGM5Tflk9n8mt7Fhc8',
      '1p:.000000000000000000000-',
      '1p:..000000000000000000000',
      '1R:.:.:5',
      '1p:.',
    ]) {
      expect(decodeAction(forged), forged).toBeNull();
    }
  });
});
