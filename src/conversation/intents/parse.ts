import { cleanWords, extractSearch } from './filters.ts';
import type { Intent, ParseContext, ProductRef } from './intent.types.ts';

/**
 * The local intent parser: always available, no model needed. English and
 * Simplified Chinese phrasings; anything else is a product search with the
 * filters it mentions.
 */
const simple: { re: RegExp; intent: Intent }[] = [
  { re: /^(?:hi|hello|hey|hallo|hola|yo|start|menu|main menu|good (?:morning|afternoon|evening)|你好|您好|嗨|菜单)[\s!.]*$/i, intent: { kind: 'greet' } },
  { re: /^(?:help|\?|what can you do|how does this work|帮助|怎么用)[\s?!.]*$/i, intent: { kind: 'help' } },
  { re: /^(?:categories|browse|catalog(?:ue)?|show (?:me )?(?:the )?categories|all products|分类|浏览)[\s!.]*$/i, intent: { kind: 'categories' } },
  { re: /^(?:(?:show |view |open |see )?(?:my |the )?(?:cart|basket|bag)|what(?:'s| is) in my (?:cart|basket)|购物车|我的购物车)[\s?!.]*$/i, intent: { kind: 'cart' } },
  { re: /^(?:check ?out|pay|pay now|buy now|place (?:the |my )?order|结账|付款|下单)[\s!.]*$/i, intent: { kind: 'checkout' } },
  {
    re: /(?:where(?:'s| is) my (?:order|package|parcel|stuff)|order status|track(?:ing)?(?: my)? (?:order|package)|my orders?|订单|我的订单|物流)/i,
    intent: { kind: 'orders' },
  },
  { re: /^(?:more|next|show more|next page|more please|更多|下一页)[\s!.]*$/i, intent: { kind: 'more' } },
  { re: /^(?:popular|best ?sellers?|trending|what(?:'s| is) popular|top products|热门|畅销)[\s?!.]*$/i, intent: { kind: 'popular' } },
  {
    re: /^(?:recommend(?: me)?(?: something)?|suggest(?:ions?)?|what do you (?:recommend|suggest)|you may also like|similar|anything similar|for me|推荐|猜你喜欢)[\s?!.]*$/i,
    intent: { kind: 'recommend' },
  },
];

const numberWords: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
};
const ordinals: Record<string, number> = { first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, fourth: 3, '4th': 3, fifth: 4, '5th': 4 };

export function parseIntent(raw: string, ctx: ParseContext): Intent {
  const text = raw.trim().replace(/\s+/g, ' ');
  for (const s of simple) if (s.re.test(text)) return s.intent;

  const compare = /^(?:compare|比较|对比)\s*(.*)$/i.exec(text);
  if (compare) {
    const what = (compare[1] ?? '').replace(/^(?:the\s+)?(?:two|2|three|3|both|these|those|them)\s*/i, '').replace(/^(?:这两[件个款]?|这些)/, '');
    const words = cleanWords(what.replace(/\band\b|\bvs\.?\b|\bwith\b/gi, ' '));
    return { kind: 'compare', request: words ? extractSearch(words, ctx) : null };
  }

  const remove = /^(?:remove|delete|drop|take out|take off|删除|去掉|移除)\s*(?:the\s+|all\s+)?(.+?)(?:\s+from\s+(?:my\s+|the\s+)?(?:cart|basket))?[\s!.]*$/i.exec(text);
  if (remove?.[1]) return { kind: 'remove', query: cleanWords(remove[1]) || remove[1] };

  const setQty =
    /^(?:change|set|make|update)\s+(?:the\s+)?(.+?)\s+(?:to|quantity to|qty to)\s+(\d{1,3})[\s!.]*$/i.exec(text) ??
    /^(?:make it|only|just)\s+(\d{1,3})(?:\s+(.+?))?[\s!.]*$/i.exec(text);
  if (setQty) {
    const [a, b] = [setQty[1] ?? '', setQty[2] ?? ''];
    const isFirstNumber = /^\d+$/.test(a);
    const quantity = Number(isFirstNumber ? a : b);
    const query = cleanWords(isFirstNumber ? b : a) || null;
    return { kind: 'setQuantity', query, quantity };
  }

  const add = /^(?:add|put|i'?ll take|i want|give me|take|加入?|加购|来|要)\s*(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|[一两二三四五六七八九十])?\s*(?:x|×|件|个|pcs?|pieces?|of)?\s*(.*)$/i.exec(text);
  if (add && /^(?:add|put|i'?ll take|take|加|来|要)/i.test(text)) {
    const qtyWord = (add[1] ?? '').toLowerCase();
    const quantity = qtyWord ? (numberWords[qtyWord] ?? Number(qtyWord)) : 1;
    const ref = parseRef((add[2] ?? '').replace(/\s*(?:to|into|in)\s+(?:my\s+|the\s+)?(?:cart|basket)\s*$/i, '').replace(/到购物车$/, ''), ctx);
    if (quantity >= 1 && quantity <= 999) return { kind: 'add', quantity, ref };
  }

  return { kind: 'search', request: extractSearch(text, ctx) };
}

function parseRef(rest: string, ctx: ParseContext): ProductRef {
  const r = rest.trim().toLowerCase();
  if (!r || /^(?:of\s+)?(?:those|these|them|it|this|that|this one|that one|more|another|again|它|这个|那个|这件|那件)$/.test(r)) return { kind: 'focus' };
  const ord = /^(?:the\s+)?(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)(?:\s+one)?$/.exec(r);
  if (ord?.[1]) return { kind: 'index', index: ord[1] === 'last' ? -1 : (ordinals[ord[1]] ?? 0) };
  return { kind: 'search', request: extractSearch(rest, ctx) };
}
