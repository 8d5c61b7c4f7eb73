/** The automations' messages, in the customer's language (English otherwise). */
export interface AutomationTexts {
  abandonedCart(p: { items: string }): string;
  backInStock(p: { product: string }): string;
  priceDrop(p: { product: string; from: string; to: string }): string;
  reviewRequest(p: { number: number }): string;
}

const en: AutomationTexts = {
  abandonedCart: (p) => `You left ${p.items} in your cart. It is still waiting for you: type /cart to see it and check out.`,
  backInStock: (p) => `Good news: ${p.product} is back in stock. Tap below to get it before it sells out again.`,
  priceDrop: (p) => `${p.product}, which you looked at, is now ${p.to} (was ${p.from}).`,
  reviewRequest: (p) => `How do you like your order #${p.number}? A short review helps other shoppers — just reply here with a few words.`,
};

const zhCN: AutomationTexts = {
  abandonedCart: (p) => `你的购物车里还有 ${p.items}。输入 /cart 查看并结账。`,
  backInStock: (p) => `好消息：${p.product} 已到货。点击下方按钮购买，以免再次售罄。`,
  priceDrop: (p) => `你看过的 ${p.product} 降价了：现价 ${p.to}（原价 ${p.from}）。`,
  reviewRequest: (p) => `订单 #${p.number} 还满意吗？在这里回复几句评价，可以帮助其他买家。`,
};

export function automationTexts(locale: string): AutomationTexts {
  return locale.toLowerCase().startsWith('zh') ? zhCN : en;
}

/** "Classic Mug ×2, Hoodie ×1" (at most three, then "…"). */
export function itemsText(items: readonly { title: string; quantity: number }[]): string {
  const shown = items.slice(0, 3).map((i) => `${i.title} ×${i.quantity}`);
  return items.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}
