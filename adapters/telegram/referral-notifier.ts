import type { Api } from 'grammy';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import type { ReferrerNotifier } from '../../src/marketing/referral.ports.ts';
import type { Logger } from '../../src/shared/logger.ts';

/**
 * Tells a referrer on Telegram about their reward (referral links are
 * Telegram deep links). Linked to the bot once it has started; until then,
 * and for other channels, it does nothing.
 */
export class TelegramReferrerNotifier implements ReferrerNotifier {
  private link: { api: Api; t: Translator; log: Logger } | null = null;

  attach(link: { api: Api; t: Translator; log: Logger }): void {
    this.link = link;
  }

  async rewarded(referrer: string, r: { code: string; what: string; until: Date }): Promise<void> {
    const [channel, userId] = referrer.split(':');
    if (!this.link || channel !== 'telegram' || !userId) return;
    const { api, t } = this.link;
    await api.sendMessage(userId, t.m.referralRewarded({ code: r.code, what: r.what, until: t.date(r.until) }));
  }
}
