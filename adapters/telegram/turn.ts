import type { Action } from '../../src/conversation/actions.ts';
import type { ConversationInput, Reply } from '../../src/conversation/conversation.types.ts';
import { identityOf } from './input.ts';
import { invoiceReplyOf, sendInvoiceFor } from './invoice.ts';
import { planReplies } from './plan.ts';
import { editInto, sendAll, type EditTarget } from './render.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';

type TurnInput = Pick<ConversationInput, 'text' | 'action' | 'command'>;

/** Buttons whose answer replaces the message they sit under, and what it must be. */
export function editedReplyOf(a: Action): Reply['type'] | null {
  switch (a.op) {
    case 'setQty': return 'cart';
    case 'variant': return 'product';
    case 'more': return 'products';
    case 'category': return a.page > 0 ? 'products' : null;
    default: return null;
  }
}

/**
 * One conversation turn: the update as a ConversationInput into the engine,
 * its replies out as Telegram messages. With `edit`, a reply of the expected
 * type replaces the tapped message and a short note before it becomes the
 * toast (returned for answerCallbackQuery).
 */
export async function runTurn(
  ctx: ShopContext,
  deps: TelegramDeps,
  shop: ShopRef,
  input: TurnInput,
  edit?: { target: EditTarget; expect: Reply['type'] },
): Promise<string | undefined> {
  const identity = identityOf(ctx);
  const chatId = ctx.chat?.id;
  if (!identity || chatId === undefined) return undefined;
  const replies = await deps.engine.handle({ store: shop.slug, channel: 'telegram', identity, ...input });
  ctx.turn.committed = true;
  // In a private chat, a payable checkout becomes a native invoice (when invoices are on).
  const invoice = ctx.chat?.type === 'private' ? invoiceReplyOf(deps, replies) : undefined;
  const plan = planReplies(invoice ? replies.filter((r) => r !== invoice) : replies);
  if (plan.rejected.length) deps.log.error({ rejected: plan.rejected }, 'button payloads over 64 bytes dropped');
  if (edit && !invoice) {
    const [first, second] = plan.messages;
    const withNote = plan.messages.length === 2 && first?.note !== undefined;
    const main = withNote ? second : plan.messages.length === 1 ? first : undefined;
    if (main?.source === edit.expect && (await editInto(ctx.api, edit.target, main, deps.log))) return withNote ? first?.note : undefined;
  }
  await sendAll(ctx.api, chatId, plan.messages, deps.log);
  if (invoice && !(await sendInvoiceFor(ctx.api, chatId, invoice, deps, shop, ctx.from?.language_code))) await sendAll(ctx.api, chatId, planReplies([invoice]).messages, deps.log);
  return undefined;
}
