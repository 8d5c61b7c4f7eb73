/** The automations' messages, in the customer's language (English otherwise). */
export interface AutomationTexts {
  abandonedCart(p: { items: string }): string;
  backInStock(p: { product: string }): string;
  priceDrop(p: { product: string; from: string; to: string }): string;
  /** Asks to rate the product with the star buttons below; without a product, just thanks. */
  reviewRequest(p: { number: number; product: string | null }): string;
  viewCartButton(): string;
  checkoutButton(): string;
  /** The label of the button giving this many stars (1–5). */
  starButton(p: { stars: number }): string;
}

const en: AutomationTexts = {
  abandonedCart: (p) => `You left ${p.items} in your cart. It is still waiting for you: tap View cart below to see it, or Check out to finish.`,
  backInStock: (p) => `Good news: ${p.product} is back in stock. Tap below to get it before it sells out again.`,
  priceDrop: (p) => `${p.product}, which you looked at, is now ${p.to} (was ${p.from}).`,
  reviewRequest: (p) =>
    p.product
      ? `How do you like your order #${p.number}? Tap the stars to rate ${p.product} (5 is best) — it helps other shoppers.`
      : `Thank you for your order #${p.number}! We hope you enjoy it.`,
  viewCartButton: () => '🛒 View cart',
  checkoutButton: () => 'Check out',
  starButton: (p) => `${p.stars}★`,
};

const zhCN: AutomationTexts = {
  abandonedCart: (p) => `你的购物车里还有 ${p.items}。点击下方“查看购物车”查看，或点击“去结账”完成购买。`,
  backInStock: (p) => `好消息：${p.product} 已到货。点击下方按钮购买，以免再次售罄。`,
  priceDrop: (p) => `你看过的 ${p.product} 降价了：现价 ${p.to}（原价 ${p.from}）。`,
  reviewRequest: (p) =>
    p.product ? `订单 #${p.number} 还满意吗？点击星星为 ${p.product} 评分（5 星最好），可以帮助其他买家。` : `感谢你的订单 #${p.number}！希望你喜欢。`,
  viewCartButton: () => '🛒 查看购物车',
  checkoutButton: () => '去结账',
  starButton: (p) => `${p.stars}★`,
};

export function automationTexts(locale: string): AutomationTexts {
  return locale.toLowerCase().startsWith('zh') ? zhCN : en;
}

/** "Classic Mug ×2, Hoodie ×1" (at most three, then "…"). */
export function itemsText(items: readonly { title: string; quantity: number }[]): string {
  const shown = items.slice(0, 3).map((i) => `${i.title} ×${i.quantity}`);
  return items.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}
