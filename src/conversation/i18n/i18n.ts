import { currencyExponent, type Money } from '../../shared/money.ts';
import { en, type Messages } from './messages.en.ts';
import { zhCN } from './messages.zh-CN.ts';

export const supportedLocales = ['en', 'zh-CN'] as const;
export type Locale = (typeof supportedLocales)[number];

const catalogs: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

/** The shop's translation closest to a BCP 47 tag, else the fallback (store default). */
export function resolveLocale(tag: string | null | undefined, fallback: string): Locale {
  for (const candidate of [tag, fallback]) {
    const t = candidate?.toLowerCase();
    if (!t) continue;
    if (t === 'zh' || t.startsWith('zh-cn') || t.startsWith('zh-hans') || t.startsWith('zh-sg')) return 'zh-CN';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

export interface Translator {
  locale: Locale;
  m: Messages;
  money(m: Money): string;
  date(d: Date): string;
}

/** Formats exactly: the decimal string is built from integer minor units, no float. */
function decimalString(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  const neg = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exp + 1, '0');
  const text = exp ? `${digits.slice(0, -exp)}.${digits.slice(-exp)}` : digits;
  return neg ? `-${text}` : text;
}

const formatters = new Map<string, Intl.NumberFormat>();

export function translator(locale: Locale): Translator {
  return {
    locale,
    m: catalogs[locale],
    money(m) {
      const key = `${locale}|${m.currency}`;
      let f = formatters.get(key);
      if (!f) {
        f = new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency });
        formatters.set(key, f);
      }
      // Intl.NumberFormat formats decimal strings exactly (ES2023).
      return f.format(decimalString(m.amount, m.currency) as `${number}`);
    },
    date(d) {
      return d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
    },
  };
}
