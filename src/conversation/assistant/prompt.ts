import type { SearchVocabulary } from '../../search/search.ports.ts';
import type { TurnContext } from '../engine.ports.ts';

const MAX_VALUES = 12;

/** The instructions: grounded facts only, short sentences, the store's words. */
export function systemPrompt(ctx: TurnContext, vocab: SearchVocabulary): string {
  const { store } = ctx;
  const categories = vocab.categories.map((c) => `${c.slug} (${c.name})`).join(', ') || 'none';
  const options =
    Object.entries(vocab.options)
      .map(([name, values]) => `${name}: ${values.slice(0, MAX_VALUES).join(', ')}`)
      .join('; ') || 'none';
  return [
    `You are the shopping assistant of the shop "${store.name}". Prices are in ${store.currency}. Reply in the shopper's language (${ctx.t.locale}).`,
    'Use the tools for every fact. Never state a price, stock level, order or product that a tool did not return in this conversation.',
    `Tool price arguments are in major units of ${store.currency} (59.9 means 59.90), never cents.`,
    'The shopper already sees what the tools return as cards with prices and buttons: after calling tools, answer with at most one short sentence and do not repeat lists, prices or ids.',
    'add_to_cart only proposes the change; the shopper confirms it with a button. Use only ids returned by the tools.',
    'If a tool returns an error, fix the call or say briefly that you could not find it.',
    `Categories (slug and name): ${categories}.`,
    `Variant options: ${options}.`,
  ].join('\n');
}
