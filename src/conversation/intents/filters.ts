import { parseDecimal } from '../../shared/money.ts';
import type { ProductSort } from '../../search/search.ports.ts';
import type { ParseContext, SearchRequest } from './intent.types.ts';

const money = String.raw`(?:[€$£¥]\s*)?(\d{1,7}(?:[.,]\d{1,2})?)\s*(?:eur|euros?|usd|dollars?|gbp|€|\$|元|欧元|块)?`;

/** Price bounds in English and Chinese: "under 60", "20-60", "60以内", "20以上". */
const pricePatterns: { re: RegExp; bounds: (a: string, b?: string) => { min?: string; max?: string } }[] = [
  { re: new RegExp(String.raw`\bbetween\s+${money}\s+and\s+${money}`, 'i'), bounds: (a, b) => ({ min: a, max: b }) },
  { re: new RegExp(String.raw`\b(?:from\s+)?${money}\s*(?:-|–|to)\s*${money}(?=\s|$)`, 'i'), bounds: (a, b) => ({ min: a, max: b }) },
  {
    re: new RegExp(String.raw`(?:\b(?:under|below|less than|cheaper than|up to|max(?:imum)?|at most|within|no more than)|<=?)\s*${money}`, 'i'),
    bounds: (a) => ({ max: a }),
  },
  { re: new RegExp(String.raw`(?:低于|不超过|少于)\s*${money}`), bounds: (a) => ({ max: a }) },
  { re: new RegExp(String.raw`${money}\s*(?:以内|以下|之内)`), bounds: (a) => ({ max: a }) },
  { re: new RegExp(String.raw`(?:\b(?:over|above|more than|at least|min(?:imum)?|from)|>=?)\s*${money}`, 'i'), bounds: (a) => ({ min: a }) },
  { re: new RegExp(String.raw`(?:高于|超过)\s*${money}`), bounds: (a) => ({ min: a }) },
  { re: new RegExp(String.raw`${money}\s*(?:以上)`), bounds: (a) => ({ min: a }) },
];

const sortPatterns: { re: RegExp; sort: ProductSort }[] = [
  { re: /\b(?:cheapest|lowest price|least expensive|cheap|budget)\b|最便宜|便宜的?/i, sort: 'price_asc' },
  { re: /\b(?:most expensive|priciest|highest price|premium)\b|最贵/i, sort: 'price_desc' },
  { re: /\b(?:newest|latest|new arrivals?|brand new)\b|最新|新品/i, sort: 'newest' },
];

const stopwords = new Set(
  (
    "i i'm im me my we you your want wanna need would like looking look for a an the some show find search any please do does have has got " +
    'with in of something that this is are to buy get give gimme size sized colour color coloured colored item items product products ' +
    'one ones what which there here can could let see and or but also just only really very thing things stuff'
  ).split(' '),
);
const zhStop = /我想要|我要|我想|有没有|请问|帮我找|找一下|给我|一个|一件|一些|的/g;

export function extractSearch(text: string, ctx: ParseContext): SearchRequest {
  let rest = ` ${text} `;
  const labels: string[] = [];
  const req: SearchRequest = { q: '', sort: 'relevance', filterLabels: labels };

  for (const p of pricePatterns) {
    const m = p.re.exec(rest);
    if (!m?.[1]) continue;
    const b = p.bounds(m[1], m[2]);
    const min = b.min ? parseDecimal(b.min, ctx.currency) : null;
    const max = b.max ? parseDecimal(b.max, ctx.currency) : null;
    if (min !== null) req.minPrice = min;
    if (max !== null) req.maxPrice = max;
    rest = rest.replace(m[0], ' ');
    break;
  }
  for (const s of sortPatterns) {
    if (s.re.test(rest)) {
      req.sort = s.sort;
      rest = rest.replace(s.re, ' ');
      break;
    }
  }
  const options = extractOptions(rest, ctx.options);
  rest = options.rest;
  if (Object.keys(options.found).length) {
    req.options = options.found;
    for (const [k, v] of Object.entries(options.found)) labels.push(`${k} ${v.join('/')}`);
  }
  const inCategory = /\bin\s+(?:the\s+)?([a-z][a-z -]{1,40}?)\s*(?:category|section)?\s*$/i.exec(rest.trim());
  if (inCategory?.[1]) {
    const cat = matchCategory(inCategory[1], ctx.categories);
    if (cat) {
      req.category = cat.slug;
      labels.push(cat.name);
      rest = rest.replace(inCategory[0], ' ');
    }
  }
  req.q = cleanWords(rest);
  return req;
}

/** Drops filler words ("I want a", "please", "的") and punctuation. */
export function cleanWords(text: string): string {
  return text
    .replace(zhStop, ' ')
    .replace(/[?!.,;:"'()[\]{}，。？！、]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !stopwords.has(w.toLowerCase()))
    .join(' ')
    .trim();
}

function extractOptions(text: string, vocab: Record<string, string[]>) {
  const found: Record<string, string[]> = {};
  let rest = text;
  for (const [name, values] of Object.entries(vocab)) {
    for (const value of values) {
      const v = escape(value);
      // Short values (S, M, L) only count with "size" before them or as upper case, or "M码".
      const re =
        value.length <= 2
          ? new RegExp(String.raw`(?:\b[Ss]ize\s+(?:${escape(value.toUpperCase())}|${escape(value.toLowerCase())})\b|(?<![\w-])${escape(value.toUpperCase())}(?![\w-])|(?<![\w-])${v}\s*码)`)
          : new RegExp(String.raw`(?<![\w-])${v}(?![\w-])`, 'i');
      const m = re.exec(rest);
      if (!m) continue;
      (found[name] ??= []).push(value);
      rest = rest.replace(m[0], ' ');
    }
  }
  return { found, rest };
}

function matchCategory(words: string, categories: { slug: string; name: string }[]) {
  const w = words.trim().toLowerCase().replace(/s$/, '');
  return categories.find((c) => c.name.toLowerCase().replace(/s$/, '') === w || c.slug.replace(/s$/, '') === w.replace(/\s+/g, '-'));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
