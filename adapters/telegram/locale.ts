import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { ShopRef } from './telegram.types.ts';

/** The shop's translation for a Telegram language_code, else the shop's own language. */
export async function translatorFor(shop: ShopRef, languageCode: string | null | undefined): Promise<Translator> {
  const store = await shop.get();
  return translator(resolveLocale(languageCode, store.locale));
}
