import { expect } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { startTelegram, TelegramOrderNotifier, type TelegramChannel } from '../../adapters/telegram/index.ts';
import { buttonsOf, FakeTelegramApi, type Json, type RecordedCall, type TgUser } from '../fakes/telegram-bot-api.ts';
import { createTestApp, type DbKind, type TestApp } from '../helpers/test-app.ts';
import type { ReferrerNotifier } from '../../src/marketing/referral.ports.ts';

export const TOKEN = '4242:AAFakeTokenForTheTestsOnly_0123456789';
export const SECRET = 'webhook-secret_42';
export const STAFF_ID = 900;

export interface Harness {
  t: TestApp;
  fake: FakeTelegramApi;
  channel: TelegramChannel;
  close(): Promise<void>;
}

/**
 * A seeded test app whose Telegram channel runs exactly as in production
 * (startTelegram: getMe, setMyCommands, polling or setWebhook) against the
 * fake Bot API. Pacing is off; bounded auto-retry stays on.
 */
export async function startHarness(kind: DbKind, env: Record<string, string> = {}, fake?: FakeTelegramApi, extra: { referrerNotifier?: ReferrerNotifier } = {}): Promise<Harness> {
  const api = fake ?? (await FakeTelegramApi.start({ token: TOKEN }));
  const notifier = new TelegramOrderNotifier();
  const t = await createTestApp(kind, {
    notifier,
    ...extra,
    env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PUBLIC_URL: 'https://shop.example', SELLER_IDS: `telegram:${STAFF_ID}`, ...env },
  });
  await seedDemoStore(t.container.services.catalog);
  const channel = await startTelegram(t.container, notifier, { sender: { pacing: false, maxRetryAttempts: 2, maxDelaySeconds: 5 } });
  if (channel.routes) t.app.route('/', channel.routes);
  return {
    t,
    fake: api,
    channel,
    async close() {
      await channel.stop();
      await t.close();
      if (!fake) await api.close();
    },
  };
}

let nextUser = 1000;
export const newUser = (lang = 'en', name = 'Ann'): TgUser => ({ id: nextUser++, is_bot: false, first_name: name, username: `u${nextUser}`, language_code: lang });

export interface Tap {
  since: number;
  data: string;
  /** The answerCallbackQuery for this very tap. */
  answered(): Promise<RecordedCall>;
}

/** One shopper's private chat with the bot, driven through getUpdates. */
export class Chat {
  constructor(
    readonly fake: FakeTelegramApi,
    readonly user: TgUser,
    readonly chat: Json = { id: user.id, type: 'private', first_name: user.first_name },
  ) {}

  /** Sends text; resolves with the index of the first call that can answer it. */
  say(text: string, extra: Json = {}): number {
    const since = this.fake.calls.length;
    this.fake.push(FakeTelegramApi.messageUpdate(this.user, text, this.chat, extra));
    return since;
  }

  /** Taps the button whose label matches, under the message a call sent or edited. */
  tap(call: RecordedCall, label: string | RegExp): Tap {
    const b = buttonsOf(call).find((x) => (typeof label === 'string' ? x.text === label : label.test(x.text)));
    expect(b?.callback_data, `button ${String(label)} in ${JSON.stringify(buttonsOf(call).map((x) => x.text))}`).toBeDefined();
    return this.press(b?.callback_data ?? '', call.result as Json);
  }

  press(data: string, message: Json | undefined): Tap {
    const since = this.fake.calls.length;
    const update = this.fake.push(FakeTelegramApi.callbackUpdate(this.user, data, message));
    const id = String(update.callback_query.id);
    return { since, data, answered: () => this.fake.waitForCall('answerCallbackQuery', { since, test: (c) => c.body.callback_query_id === id }) };
  }

  next(method: string, since: number, test?: (c: RecordedCall) => boolean): Promise<RecordedCall> {
    return this.fake.waitForCall(method, { chatId: this.chat.id as number, since, ...(test && { test }) });
  }

  /** The next message (text) into this chat whose text matches. */
  message(since: number, text: RegExp): Promise<RecordedCall> {
    return this.next('sendMessage', since, (c) => text.test(String(c.body.text)));
  }
}

export const textOf = (c: RecordedCall) => String(c.body.text ?? c.body.caption ?? '');
export const labels = (c: RecordedCall) => buttonsOf(c).map((b) => b.text);
