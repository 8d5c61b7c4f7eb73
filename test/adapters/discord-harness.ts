import { DiscordOrderNotifier } from '../../adapters/discord/notifier.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { APP_ID, signedHeaders, testKeyPair } from '../fakes/discord-interactions.ts';
import { createTestApp, type DbKind, type TestApp } from '../helpers/test-app.ts';

export type Component = { type: number; custom_id?: string; label?: string; url?: string; style?: number; options?: { label: string; value: string; description?: string }[] };
export type Row = { type: number; components: Component[] };
export type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[]; image?: { url: string } };
export type Data = { content?: string; embeds?: Embed[]; components?: Row[]; flags?: number };
/** A MODAL answer's data: labelled text inputs. */
export type ModalData = { custom_id: string; title: string; components: { type: number; label: string; component: { type: number; custom_id: string; value?: string; required?: boolean } }[] };
export type Answer = { status: number; body: { type: number; data?: Data } };

export const buttons = (d: Data | undefined) => (d?.components ?? []).flatMap((r) => r.components).filter((c) => c.type === 2);
export const menu = (d: Data | undefined, id: string) => (d?.components ?? []).flatMap((r) => r.components).find((c) => c.type === 3 && c.custom_id === id);
export const text = (d: Data | undefined) =>
  [d?.content ?? '', ...(d?.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`)])].join('\n');
export const ephemeral = (d: Data | undefined) => ((d?.flags ?? 0) & 64) === 64;
/** The inputs of a MODAL answer, id → pre-filled value. */
export const modalInputs = (m: ModalData) => Object.fromEntries(m.components.map((c) => [c.component.custom_id, c.component.value ?? '']));

export interface DiscordHarness {
  t: TestApp;
  fake: FakeDiscord;
  storeId: string;
  send(interaction: object, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

/** The app with Discord configured against a fake REST server, the demo store seeded, and a signed-request sender. */
export async function discordHarness(kind: DbKind, env: Record<string, string> = {}): Promise<DiscordHarness> {
  const keys = testKeyPair();
  const fake = await new FakeDiscord().start();
  const notifier = new DiscordOrderNotifier();
  const t = await createTestApp(kind, {
    notifier,
    env: { DISCORD_TOKEN: 'test-bot-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_API_ROOT: fake.url, ...env },
  });
  notifier.attach({ rest: createDiscordRest({ apiRoot: fake.url, token: 'test-bot-token', retries: 0 }), customers: t.container.services.customers, log: t.container.log });
  await seedDemoStore(t.container.services.catalog);
  const storeId = (await t.container.services.catalog.store('demo')).id;
  return {
    t,
    fake,
    storeId,
    async send(interaction, headers) {
      const body = JSON.stringify(interaction);
      const res = await t.app.request('/webhooks/discord', { method: 'POST', headers: headers ?? signedHeaders(keys.privateKey, body), body });
      return settled(fake, interaction, { status: res.status, body: (await res.json()) as Answer['body'] });
    },
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/** The Discord shopper's open cart lines. */
export async function cartOf(h: DiscordHarness, userId: string) {
  const { catalog, customers, carts } = h.t.container.services;
  const store = await catalog.store('demo');
  const customer = await customers.identify(store.id, { channel: 'discord', externalUserId: userId });
  return carts.open(store, { customerId: customer.id, channel: 'discord' });
}

/**
 * What the user ends up seeing: a deferred answer (5, 6: the work took longer
 * than the deferral threshold, e.g. on a busy machine) is completed through the
 * interaction webhook, so it is read from there — as the message (4) or update
 * (7) it became, with the deferral's flags. Other answers are returned as they are.
 */
export async function settled(fake: FakeDiscord, interaction: object, a: Answer, timeoutMs = 10_000): Promise<Answer> {
  if (a.body.type !== 5 && a.body.type !== 6) return a;
  const token = (interaction as { token?: string }).token ?? '';
  const path = new RegExp(`^/webhooks/${APP_ID}/${token}(/messages/@original)?$`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const call = fake.calls.find((c) => path.test(c.path) && (c.method === 'PATCH' || c.method === 'POST'));
    if (call) {
      const flags = call.method === 'POST' ? (call.body.flags as number | undefined) : a.body.data?.flags;
      return { status: a.status, body: { type: a.body.type === 5 ? 4 : 7, data: { ...(call.body as Data), ...(flags !== undefined && { flags }) } } };
    }
    if (Date.now() > until) throw new Error(`deferred interaction ${token} was never completed`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
