import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESSED_EVENTS_KEPT_MS } from '../../src/shared/processed-events.ts';
import { createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)(`processed event claims (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  it('are pruned once older than a month by the hourly housekeeping job, and only those', async () => {
    const events = t.container.processedEvents;
    expect(await events.claim('stripe', 'evt_old')).toBe(true);
    expect(await events.claim('stripe', 'evt_new')).toBe(true);
    const old = new Date(Date.now() - PROCESSED_EVENTS_KEPT_MS - 3600_000);
    await t.container.db.processedEvent.updateMany({ where: { eventId: 'evt_old' }, data: { processedAt: old } });

    const job = t.container.jobs.find((j) => j.name === 'prune-processed-events');
    expect(job?.everyMs).toBe(3600_000);
    expect(await job?.run()).toBe(1);

    // The recent claim still refuses a redelivery; the pruned one is gone (no platform redelivers a month late).
    expect(await events.claim('stripe', 'evt_new')).toBe(false);
    expect(await t.container.db.processedEvent.count({ where: { eventId: 'evt_old' } })).toBe(0);
  });
});
