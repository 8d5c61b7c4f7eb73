import { decodeAction } from '../actions.ts';
import type { ProductCard, Reply } from '../conversation.types.ts';

/** The variant a card's "Add" button adds (single-variant products only). */
function addableVariant(card: ProductCard): string | undefined {
  for (const b of card.buttons) {
    const a = 'action' in b ? decodeAction(b.action) : null;
    if (a?.op === 'add') return a.variantId;
  }
  return undefined;
}

const card = (c: ProductCard) => ({
  product_id: c.id,
  title: c.title,
  price: c.priceText,
  stock: c.stockHint,
  available: c.available,
  ...(addableVariant(c) && { variant_id: addableVariant(c) }),
});

/**
 * What the shopper was shown, restated for the model: everything here was
 * rendered from the database by the engine's handlers, so the model can
 * only repeat real prices, stock and ids.
 */
export function factsOf(replies: Reply[]): unknown[] {
  return replies.flatMap((r): unknown[] => {
    switch (r.type) {
      case 'text':
        return [{ message: r.text }];
      case 'image':
        return [];
      case 'products':
        return [{ list: r.title, products: r.items.map(card) }];
      case 'product':
        return [
          {
            product: {
              ...card(r.product),
              description: r.product.description.slice(0, 300),
              variants: r.product.variants.map((v) => ({ variant_id: v.id, label: v.label, price: v.priceText, available: v.available })),
            },
          },
        ];
      case 'cart':
        return [{ cart: { lines: r.lines.map((l) => ({ title: l.title, quantity: l.quantity, line_total: l.lineTotalText })), total: r.totalText } }];
      case 'compare':
        return [{ compare: { columns: r.columns, rows: r.rows } }];
      case 'checkout':
        return [{ checkout: { order_number: r.orderNumber, total: r.totalText, has_payment_link: r.url !== null, message: r.text } }];
      case 'orders':
        return [{ orders: r.items.map((o) => ({ number: o.number, status: o.statusText, total: o.totalText, date: o.date })) }];
    }
  });
}
