import { type Composer, InlineKeyboard } from 'grammy';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { CampaignDraft } from '../../src/marketing/campaign.ts';
import { formatCampaignPreview } from '../../src/marketing/campaign-format.ts';
import type { CampaignPreview, CampaignService } from '../../src/marketing/campaign.service.ts';
import {
  chooseInWizard,
  startWizard,
  wizardDraft,
  wizardQuestion,
  wizardSteps,
  type WizardState,
} from '../../src/marketing/campaign-wizard.ts';
import { CampaignSessions } from '../../src/marketing/campaign-sessions.ts';
import { parseCommand } from './input.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

const STALE = 'This campaign draft has expired or is not yours. Start again with /campaign.';
const BUTTON = /^K1:([0-9a-f]{12}):(c|x|s\d)(?::(\d{1,2}))?$/;

/** A wizard step's buttons, two a row: K1:<session>:s<step>:<choice>. */
function stepKeyboard(id: string, w: WizardState): InlineKeyboard {
  const kb = new InlineKeyboard();
  const step = wizardSteps.indexOf(w.step);
  wizardQuestion(w).choices.forEach((label, i) => {
    kb.text(label, `K1:${id}:s${step}:${i}`);
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text('Cancel', `K1:${id}:x`);
}

/**
 * /campaign, staff only, in a private chat. With a language model,
 * "/campaign 20% off hoodies for last month's buyers until Friday, on
 * Telegram" becomes a checked draft with a preview and Confirm/Cancel;
 * without one (or with nothing after the command) a step-by-step wizard
 * builds the same draft. Nothing is created until Confirm.
 */
export function campaignComposer(
  deps: TelegramDeps,
  shop: ShopRef,
  isStaff: (ctx: ShopContext) => boolean,
  sessions = new CampaignSessions<number>(),
): Composer<ShopContext> {
  const c = new ShopComposer();
  const refuse = (ctx: ShopContext, attempted: string) =>
    deps.log.warn({ telegramUser: ctx.from?.id, attempted }, 'seller command refused: not staff');

  async function showPreview(ctx: ShopContext, service: CampaignService, store: StoreRecord, draft: CampaignDraft, owner: number) {
    const r = await service.preview(store, draft);
    if (!r.ok) return r;
    await sendPreview(ctx, r.value, owner, service.timeZone);
    return r;
  }
  async function sendPreview(ctx: ShopContext, p: CampaignPreview, owner: number, timeZone: string) {
    const id = sessions.put(owner, { kind: 'draft', draft: p.draft });
    const total = p.recipients.telegram + p.recipients.discord;
    const kb = new InlineKeyboard();
    if (total > 0) kb.text(`Confirm: send to ${total}`, `K1:${id}:c`);
    kb.text('Cancel', `K1:${id}:x`);
    await ctx.reply(formatCampaignPreview(p, timeZone), { reply_markup: kb });
  }

  c.command('campaign', async (ctx) => {
    ctx.turn.committed = true;
    if (!isStaff(ctx)) {
      refuse(ctx, '/campaign');
      return void (await ctx.reply('Sorry, that command is for the shop staff only.'));
    }
    if (ctx.chat.type !== 'private') return void (await ctx.reply('Seller commands work in a private chat with the bot.'));
    const service = deps.campaigns;
    if (!service) return void (await ctx.reply('Campaigns are not available.'));
    const owner = ctx.from?.id ?? 0;
    const store = await shop.get();
    const sentence = parseCommand(ctx.msg.text)?.args ?? '';
    if (sentence && service.canPlan) {
      await ctx.replyWithChatAction('typing').catch(() => undefined);
      const r = await service.plan(store, sentence);
      if (!r.ok) return void (await ctx.reply(r.message));
      return void (await sendPreview(ctx, r.value, owner, service.timeZone));
    }
    if (sentence) await ctx.reply('Campaigns from a sentence need a language model (OPENAI_API_KEY); let us build it step by step.');
    const wizard = startWizard(await deps.catalog.listCategories(store.id));
    const id = sessions.put(owner, { kind: 'wizard', wizard });
    await ctx.reply(wizardQuestion(wizard).text, { reply_markup: stepKeyboard(id, wizard) });
  });

  c.callbackQuery(BUTTON, async (ctx) => {
    ctx.turn.committed = true;
    if (!isStaff(ctx)) {
      refuse(ctx, ctx.callbackQuery.data);
      return void (await ctx.answerCallbackQuery({ text: 'Staff only.' }));
    }
    const [, id = '', op = '', arg] = ctx.match;
    const owner = ctx.from.id;
    const service = deps.campaigns;
    const session = op === 'c' || op === 'x' ? sessions.take(id, owner) : sessions.get(id, owner);
    if (!service || !session) {
      deps.log.warn({ telegramUser: owner, data: ctx.callbackQuery.data }, 'campaign button refused: unknown, expired or not theirs');
      return void (await ctx.answerCallbackQuery({ text: STALE, show_alert: true }));
    }
    if (op === 'x') {
      await ctx.answerCallbackQuery({ text: 'Cancelled' });
      return void (await ctx.editMessageText('Campaign cancelled — nothing was created.').catch(() => undefined));
    }
    const store = await shop.get();
    if (op === 'c') {
      if (session.kind !== 'draft') return void (await ctx.answerCallbackQuery({ text: STALE, show_alert: true }));
      await ctx.answerCallbackQuery({ text: 'Creating…' });
      const r = await service.confirm(store, session.draft, `staff:telegram:${owner}`);
      const text = r.ok
        ? `Campaign on: code ${r.value.promotion.code} · ${r.value.preview.offer}\nAnnouncement ${r.value.broadcast.status} to ${r.value.broadcast.recipients} subscriber(s); follow it with /broadcasts. /promo off ${r.value.promotion.code} stops the code.`
        : r.message;
      return void (await ctx.editMessageText(text).catch(() => ctx.reply(text)));
    }
    // A wizard step: the button must belong to the step the wizard is at.
    if (session.kind !== 'wizard' || op !== `s${wizardSteps.indexOf(session.wizard.step)}`) {
      return void (await ctx.answerCallbackQuery({ text: 'That button is from an earlier step.' }));
    }
    const next = chooseInWizard(session.wizard, Number(arg ?? -1));
    if (!next) return void (await ctx.answerCallbackQuery({ text: 'Unknown choice.' }));
    sessions.put(owner, { kind: 'wizard', wizard: next }, id);
    await ctx.answerCallbackQuery();
    const q = wizardQuestion(next);
    await ctx.editMessageText(
      q.text,
      next.step === 'text' ? { reply_markup: new InlineKeyboard().text('Cancel', `K1:${id}:x`) } : { reply_markup: stepKeyboard(id, next) },
    );
  });

  // The wizard's last step: the announcement, typed by the staff member whose wizard waits for it.
  c.on('message:text', async (ctx, next) => {
    const owner = ctx.from.id;
    const waiting = ctx.chat.type === 'private' && !ctx.msg.text.startsWith('/') && isStaff(ctx) ? sessions.awaitingText(owner) : null;
    if (!waiting || !deps.campaigns) return next();
    ctx.turn.committed = true;
    const store = await shop.get();
    const draft = wizardDraft(waiting.wizard, ctx.msg.text, deps.clock.now());
    if (!draft) return void (await ctx.reply(STALE));
    const r = await showPreview(ctx, deps.campaigns, store, draft, owner);
    if (!r.ok) await ctx.reply(`${r.message}\n\nType the announcement again, or /campaign to start over.`);
  });
  return c;
}
