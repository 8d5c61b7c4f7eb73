import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { CampaignDraft } from '../../src/marketing/campaign.ts';
import type { CampaignService } from '../../src/marketing/campaign.service.ts';
import { CampaignSessions } from '../../src/marketing/campaign-sessions.ts';
import { chooseInWizard, startWizard, wizardDraft, wizardSteps } from '../../src/marketing/campaign-wizard.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Clock } from '../../src/shared/time.ts';
import { announcementForm, CAMPAIGN_ID, launchedMessage, note, NOT_OURS, previewMessage, retryMessage, STALE, TEXT_FIELD, wizardMessage } from './campaign-views.ts';
import { cut } from './limits.ts';
import { modalData } from './modals.ts';
import type { DiscordMessage } from './render.ts';

export interface CampaignDeskDeps {
  campaigns: CampaignService;
  /** The store's categories, for the wizard's "on what?" step. */
  categories: (storeId: string) => Promise<{ slug: string; name: string }[]>;
  clock: Clock;
  log: Logger;
}

/** Confirmed or cancelled sessions remembered, so a second press shows the same outcome. */
const MAX_FINISHED = 500;

/**
 * `/campaign` on Discord, staff only (the caller checks): with a sentence and
 * a language model, a checked draft from CampaignService.plan; otherwise the
 * step-by-step wizard of src/marketing/campaign-wizard.ts with buttons (a
 * select menu when the choices are many) and a form for the announcement.
 * The preview's Confirm creates the promotion and the broadcast once: the
 * session is taken before anything is awaited, and a second press (or a
 * press while the first is still working) gets the first press's outcome.
 */
export class CampaignDesk {
  private readonly sessions: CampaignSessions<string>;
  private readonly finished = new Map<string, { owner: string; outcome: Promise<DiscordMessage> }>();

  constructor(
    private readonly deps: CampaignDeskDeps,
    sessions?: CampaignSessions<string>,
  ) {
    this.sessions = sessions ?? new CampaignSessions<string>(() => deps.clock.now().getTime());
  }

  /** `/campaign [text]`: the model's draft when there is a sentence and a model, else the wizard's first step. */
  async start(store: StoreRecord, userId: string, sentence: string | undefined): Promise<DiscordMessage> {
    const service = this.deps.campaigns;
    const words = sentence?.trim() ?? '';
    if (words && service.canPlan) {
      const r = await service.plan(store, words);
      if (!r.ok) return note(r.message);
      this.deps.log.info({ discordUser: userId, store: store.slug }, 'campaign drafted from a sentence on discord');
      return this.preview(userId, r.value.draft, r.value);
    }
    const wizard = startWizard(await this.deps.categories(store.id));
    const session = this.sessions.put(userId, { kind: 'wizard', wizard });
    const notice = words ? 'Campaigns from a sentence need a language model (OPENAI_API_KEY); let us build it step by step.' : undefined;
    return wizardMessage(session, wizard, notice);
  }

  /**
   * The announcement form, for the owner of a wizard at its last step; null
   * otherwise (the press then goes to `button`, which says why).
   */
  form(userId: string, customId: string): APIModalInteractionResponseCallbackData | null {
    const [, session = '', op] = CAMPAIGN_ID.exec(customId) ?? [];
    if (op !== 't') return null;
    const s = this.sessions.get(session, userId);
    return s?.kind === 'wizard' && s.wizard.step === 'text' ? modalData(announcementForm(session)) : null;
  }

  /** A wizard choice, Confirm or Cancel (`values`: what a select menu sent). */
  async button(store: () => Promise<StoreRecord>, userId: string, customId: string, values: readonly string[] = []): Promise<DiscordMessage> {
    const m = CAMPAIGN_ID.exec(customId);
    const [, session = '', op = '', arg] = m ?? [];
    if (!m || op === 'm') return this.refuse(userId, customId, NOT_OURS);
    if (op === 'c' || op === 'x') return this.finish(store, userId, customId, session, op);
    const s = this.sessions.get(session, userId);
    if (!s) return this.refuse(userId, customId, STALE);
    if (s.kind !== 'wizard') return this.refuse(userId, customId, NOT_OURS);
    const current = `s${wizardSteps.indexOf(s.wizard.step)}`;
    // `t` whose form did not open (the wizard is not at its last step), or a button of an earlier step: show where it is.
    if (op === 't' || op !== current) return wizardMessage(session, s.wizard, 'That button is from an earlier step.');
    const choice = arg ?? values[0] ?? '';
    const next = /^\d{1,2}$/.test(choice) ? chooseInWizard(s.wizard, Number(choice)) : null;
    if (!next) return wizardMessage(session, s.wizard, 'Unknown choice.');
    this.sessions.put(userId, { kind: 'wizard', wizard: next }, session);
    return wizardMessage(session, next);
  }

  /** The submitted announcement: the wizard's draft checked and previewed, or why not with the form again. */
  async submit(store: StoreRecord, userId: string, customId: string, values: Readonly<Record<string, string>>): Promise<DiscordMessage> {
    const [, session = '', op] = CAMPAIGN_ID.exec(customId) ?? [];
    if (op !== 'm') return this.refuse(userId, customId, NOT_OURS);
    const s = this.sessions.get(session, userId);
    const draft = s?.kind === 'wizard' ? wizardDraft(s.wizard, values[TEXT_FIELD] ?? '', this.deps.clock.now()) : null;
    if (!draft) return this.refuse(userId, customId, STALE);
    const r = await this.deps.campaigns.preview(store, draft);
    if (!r.ok) return retryMessage(session, r.message);
    return this.preview(userId, r.value.draft, r.value);
  }

  private preview(userId: string, draft: CampaignDraft, p: Parameters<typeof previewMessage>[1]): DiscordMessage {
    const session = this.sessions.put(userId, { kind: 'draft', draft });
    return previewMessage(session, p, this.deps.campaigns.timeZone);
  }

  /**
   * Confirm or Cancel. The session is taken synchronously, before any await,
   * so only one press can act on it; the outcome is kept for later presses.
   */
  private finish(store: () => Promise<StoreRecord>, userId: string, customId: string, session: string, op: 'c' | 'x'): Promise<DiscordMessage> {
    const s = this.sessions.get(session, userId);
    if (!s || (op === 'c' && s.kind !== 'draft')) {
      const earlier = this.finished.get(session);
      if (earlier?.owner === userId) return earlier.outcome;
      return Promise.resolve(this.refuse(userId, customId, s ? NOT_OURS : STALE));
    }
    this.sessions.take(session, userId);
    const outcome = op === 'c' && s.kind === 'draft' ? this.launch(store, userId, s.draft) : Promise.resolve(note('Campaign cancelled — nothing was created.'));
    this.remember(session, userId, outcome);
    return outcome;
  }

  private async launch(store: () => Promise<StoreRecord>, userId: string, draft: CampaignDraft): Promise<DiscordMessage> {
    const r = await this.deps.campaigns.confirm(await store(), draft, `staff:discord:${userId}`);
    return r.ok ? launchedMessage(r.value) : note(r.message);
  }

  private remember(session: string, owner: string, outcome: Promise<DiscordMessage>): void {
    // A failed launch is not replayed as an outcome: the next press is told the draft is gone.
    const kept = outcome.catch((err: unknown) => {
      this.finished.delete(session);
      throw err;
    });
    this.finished.set(session, { owner, outcome: kept });
    kept.catch(() => undefined);
    while (this.finished.size > MAX_FINISHED) this.finished.delete(this.finished.keys().next().value ?? '');
  }

  private refuse(userId: string, customId: string, message: string): DiscordMessage {
    this.deps.log.warn({ discordUser: userId, customId: cut(customId, 100) }, 'campaign button refused: unknown, expired or not theirs');
    return note(message);
  }
}
