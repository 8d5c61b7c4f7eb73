import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { PrismaAudience } from '../../src/infra/prisma/audience.repository.ts';
import { PrismaBroadcastRepository } from '../../src/infra/prisma/broadcast.repository.ts';
import { BroadcastRunner } from '../../src/marketing/broadcast-runner.ts';
import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';
import { BroadcastService } from '../../src/marketing/broadcast.service.ts';
import type { BroadcastMessage, SendOutcome } from '../../src/marketing/broadcast.types.ts';
import type { StoreMessagingRules } from '../../src/marketing/consent-gate.ts';
import { parseSegment } from '../../src/marketing/segment.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

/** A Telegram-like sender that records every message and fails as told. */
class FakeSender implements MarketingSender {
  readonly channel = 'telegram' as const;
  readonly perSecond = 30;
  readonly received: string[] = [];
  private calls = 0;
  constructor(private readonly script: (address: string, call: number) => SendOutcome | null = () => null) {}
  send(address: string, _message: BroadcastMessage): Promise<SendOutcome> {
    const scripted = this.script(address, ++this.calls);
    if (scripted && scripted.kind !== 'sent') return Promise.resolve(scripted);
    this.received.push(address);
    return Promise.resolve({ kind: 'sent', messageId: String(this.received.length) });
  }
}

describe.each(databases)(`broadcast delivery (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId = '';
  const clock = new ManualClock(new Date('2026-11-26T12:00:00Z'));
  const log = createLogger('silent');
  const rules: StoreMessagingRules = { quietHours: null, timeZone: 'UTC', frequencyCap: null };

  const setup = () => {
    const repo = new PrismaBroadcastRepository(t.container.db);
    const audience = new PrismaAudience(t.container.db, () => clock.now());
    const service = new BroadcastService(repo, audience, clock);
    const runner = (sender: MarketingSender, withRules: StoreMessagingRules = rules) =>
      new BroadcastRunner(repo, audience, [sender], (b) => Promise.resolve({ broadcastId: b.id, storeId: b.storeId, text: 'Sale!', imageUrl: null, product: null }), clock, log, { rules: withRules }, (ms) => Promise.resolve(clock.advance(ms)));
    return { repo, service, runner };
  };

  /** n Telegram shoppers; the first `subscribed` of them opted in. */
  async function shoppers(prefix: string, n: number, subscribed: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: `${prefix}${i}` });
      if (i < subscribed) await t.container.services.consent.subscribe(storeId, c.id, 'telegram', 'test');
      ids.push(c.id);
    }
    return ids;
  }

  async function drain(runner: BroadcastRunner, rounds = 200) {
    for (let i = 0; i < rounds; i++) {
      await runner.tick();
      clock.advance(1000);
    }
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => t.close());

  it('reaches only subscribed, reachable shoppers, each exactly once, through 429s, errors and blocks', async () => {
    const ids = await shoppers('a', 60, 50);
    await t.container.services.customers.markUnreachable(storeId, 'telegram', 'a3', clock.now());
    const { service, runner } = setup();
    const seg = parseSegment('telegram', 2);
    if (!seg.ok) throw new Error(seg.message);
    const draft = await service.draft(storeId, { createdBy: 'test', text: 'Sale!', imageUrl: null, productId: null, segment: seg.segment });
    expect(draft.ok && draft.value.recipients).toEqual({ telegram: 49, discord: 0 });
    if (!draft.ok) return;
    const confirmed = await service.confirm(storeId, draft.value.broadcast.id);
    expect(confirmed.ok && confirmed.value).toMatchObject({ status: 'sending', recipients: 49 });
    // A second confirm plans nothing more.
    expect((await service.confirm(storeId, draft.value.broadcast.id)).ok).toBe(false);
    // a1 opts out after the broadcast was planned: respected.
    await t.container.services.consent.unsubscribe(storeId, ids[1] ?? '', 'telegram', 'stop_command');

    let errored = false;
    const sender = new FakeSender((address, call) => {
      if (call === 5 || call === 17) return { kind: 'retry', afterSeconds: 30 };
      if (address === 'a7' && !errored) return (errored = true), { kind: 'error', message: 'Bad Gateway' };
      if (address === 'a9') return { kind: 'blocked' };
      return null;
    });
    await drain(runner(sender));
    const got = [...sender.received].sort();
    expect(new Set(got).size).toBe(got.length);
    const expected = Array.from({ length: 50 }, (_, i) => `a${i}`).filter((a) => !['a1', 'a3', 'a9'].includes(a)).sort();
    expect(got).toEqual(expected);
    const done = await service.get(storeId, draft.value.broadcast.id);
    expect(done.ok && done.value.broadcast).toMatchObject({ status: 'done', recipients: 49, sent: 47, blocked: 1, skipped: 1, failed: 0 });
  });

  it('resumes after a crash mid-send without sending anyone the broadcast twice', async () => {
    await shoppers('b', 30, 30);
    const { repo, service, runner } = setup();
    const seg = parseSegment('telegram', 2);
    if (!seg.ok) throw new Error(seg.message);
    const draft = await service.draft(storeId, { createdBy: 'test', text: 'Drop!', imageUrl: null, productId: null, segment: seg.segment });
    if (!draft.ok) throw new Error(draft.message);
    await service.confirm(storeId, draft.value.broadcast.id);
    const audience = draft.value.recipients.telegram;

    // A first process claims a batch, sends three of them and dies before recording anything.
    const first = new FakeSender();
    const claimed = await repo.claim('telegram', clock.now(), 5, new Date(clock.now().getTime() + 60_000));
    for (const d of claimed.slice(0, 3)) await first.send(d.address, { broadcastId: d.broadcastId, storeId, text: 'Drop!', imageUrl: null, product: null });

    // A new process takes over once the lease has run out.
    clock.advance(61_000);
    const second = new FakeSender();
    await drain(runner(second));
    const all = [...first.received, ...second.received];
    expect(new Set(all).size).toBe(all.length);
    expect(second.received).not.toEqual(expect.arrayContaining(claimed.map((d) => d.address)));
    const done = await service.get(storeId, draft.value.broadcast.id);
    expect(done.ok && done.value.broadcast).toMatchObject({ status: 'done', recipients: audience, failed: 5, sent: audience - 5 });
  });

  it('keeps the frequency cap across broadcasts, finished ones included, and lifts it after its period', async () => {
    await shoppers('f', 4, 4);
    const { service, runner } = setup();
    const capped = { ...rules, frequencyCap: { max: 1, perHours: 24 } };
    const seg = parseSegment('telegram', 2);
    if (!seg.ok) throw new Error(seg.message);
    const send = async () => {
      const d = await service.draft(storeId, { createdBy: 'test', text: 'Offer', imageUrl: null, productId: null, segment: seg.segment });
      if (!d.ok) throw new Error(d.message);
      await service.confirm(storeId, d.value.broadcast.id);
      const sender = new FakeSender();
      await drain(runner(sender, capped), 20);
      return sender.received.filter((a) => a.startsWith('f')).sort();
    };
    expect(await send()).toEqual(['f0', 'f1', 'f2', 'f3']);
    // The first broadcast is done (finished); its sends still count for 24 hours.
    expect(await send()).toEqual([]);
    clock.advance(25 * 3_600_000);
    expect(await send()).toEqual(['f0', 'f1', 'f2', 'f3']);
  });

  it('a recipient the gate refuses takes no send slot: opt-outs mid-send do not slow the rest down', async () => {
    const store = await t.container.services.catalog.createStore({ slug: `gate-${kind}`, name: 'Gate', currency: 'EUR', locale: 'en' });
    if (!store.ok) throw new Error(store.message);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const c = await t.container.services.customers.identify(store.value.id, { channel: 'telegram', externalUserId: `g${i}` });
      await t.container.services.consent.subscribe(store.value.id, c.id, 'telegram', 'test');
      ids.push(c.id);
    }
    const { service, runner } = setup();
    const draft = await service.draft(store.value.id, { createdBy: 'test', text: 'Sale!', imageUrl: null, productId: null, segment: { rules: [] } });
    if (!draft.ok) throw new Error(draft.message);
    await service.confirm(store.value.id, draft.value.broadcast.id);
    // Every other shopper opts out after the broadcast was planned.
    for (const [i, id] of ids.entries()) if (i % 2) await t.container.services.consent.unsubscribe(store.value.id, id, 'telegram', 'stop_command');

    const sender = new FakeSender();
    const start = clock.now().getTime();
    await runner(sender).tick();
    expect(sender.received.filter((a) => a.startsWith('g'))).toHaveLength(20);
    // 20 sends at 30/s are 19 intervals of 33 ms; the 20 refused took none (one slot each would make it 1.3 s).
    expect(clock.now().getTime() - start).toBeLessThan(700);
    const done = await service.get(store.value.id, draft.value.broadcast.id);
    expect(done.ok && done.value.broadcast).toMatchObject({ sent: 20, skipped: 20 });
  });

  it('refuses empty messages, unknown products in the segment, and an audience of nobody', async () => {
    const { service } = setup();
    const none = { createdBy: 'test', imageUrl: null, productId: null };
    expect(await service.draft(storeId, { ...none, text: '  ', segment: { rules: [] } })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    const bad = await service.draft(storeId, { ...none, text: 'hi', segment: { rules: [{ kind: 'bought_product', product: 'no-such-thing' }] } });
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining('no-such-thing') });
    const nobody = await service.draft(storeId, { ...none, text: 'hi', segment: { rules: [{ kind: 'bought_product', product: 'classic-mug' }] } });
    expect(nobody.ok && nobody.value.recipients).toEqual({ telegram: 0, discord: 0 });
    if (nobody.ok) expect(await service.confirm(storeId, nobody.value.broadcast.id)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });
});
