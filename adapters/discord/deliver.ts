import type { REST } from '@discordjs/rest';
import { MessageFlags, Routes } from 'discord-api-types/v10';
import { discordErrorCode, httpStatusOf } from './rest.ts';
import { messageBody, type DiscordMessage } from './render.ts';

const UNKNOWN_WEBHOOK = 10015;
const UNKNOWN_MESSAGE = 10008;
const NOT_YET_ATTEMPTS = 4;
const NOT_YET_BACKOFF_MS = 250;

/**
 * Sends what follows an interaction's first answer through its webhook
 * (token valid 15 minutes; no bot token needed). When we answered over HTTP,
 * Discord may not have processed that answer yet: "unknown webhook/message"
 * is retried a few times, briefly.
 */
export class InteractionWebhook {
  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
    private readonly token: string,
  ) {}

  editOriginal(m: DiscordMessage): Promise<unknown> {
    const { flags: _ignored, ...body } = messageBody(m);
    return this.whenReady(() => this.rest.patch(Routes.webhookMessage(this.applicationId, this.token, '@original'), { body, auth: false }));
  }

  deleteOriginal(): Promise<unknown> {
    return this.whenReady(() => this.rest.delete(Routes.webhookMessage(this.applicationId, this.token, '@original'), { auth: false }));
  }

  followUp(m: DiscordMessage, ephemeral: boolean): Promise<unknown> {
    const body = messageBody(m, ephemeral ? MessageFlags.Ephemeral : 0);
    return this.whenReady(() => this.rest.post(Routes.webhook(this.applicationId, this.token), { body, auth: false }));
  }

  private async whenReady<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const code = discordErrorCode(err);
        const notYet = code === UNKNOWN_WEBHOOK || code === UNKNOWN_MESSAGE || (code === null && httpStatusOf(err) === 404);
        if (!notYet || attempt >= NOT_YET_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, NOT_YET_BACKOFF_MS * attempt));
      }
    }
  }
}
