import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { BroadcastRepository, NewBroadcast } from '../../marketing/broadcast.ports.ts';
import type { BroadcastRecord, BroadcastStatus, ClaimedDelivery, DeliveryResult, Recipient } from '../../marketing/broadcast.types.ts';
import type { MarketingChannel, Segment } from '../../marketing/segment.ts';

type Row = Prisma.BroadcastGetPayload<object>;

const PLAN_CHUNK = 500;
const counterOf = { sent: 'sent', failed: 'failed', blocked: 'blocked', skipped: 'skipped' } as const;

function toRecord(r: Row): BroadcastRecord {
  return {
    id: r.id,
    storeId: r.storeId,
    createdBy: r.createdBy,
    status: r.status as BroadcastStatus,
    text: r.text,
    imageUrl: r.imageUrl,
    productId: r.productId,
    segment: r.segment as unknown as Segment,
    scheduledAt: r.scheduledAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    createdAt: r.createdAt,
    recipients: r.recipients,
    sent: r.sent,
    failed: r.failed,
    blocked: r.blocked,
    skipped: r.skipped,
  };
}

export class PrismaBroadcastRepository implements BroadcastRepository {
  constructor(private readonly db: Db) {}

  async create(storeId: string, b: NewBroadcast) {
    const row = await this.db.broadcast.create({
      data: { storeId, createdBy: b.createdBy, text: b.text, imageUrl: b.imageUrl, productId: b.productId, segment: b.segment as unknown as Prisma.InputJsonValue },
    });
    return toRecord(row);
  }

  async get(storeId: string, id: string) {
    const row = await this.db.broadcast.findFirst({ where: { storeId, id } });
    return row ? toRecord(row) : null;
  }

  async list(storeId: string, limit: number) {
    const rows = await this.db.broadcast.findMany({ where: { storeId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    return rows.map(toRecord);
  }

  confirm(id: string, recipients: Recipient[], scheduledAt: Date | null, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const moved = await tx.broadcast.updateMany({
        where: { id, status: 'draft' },
        data: { status: scheduledAt ? 'scheduled' : 'sending', scheduledAt, startedAt: scheduledAt ? null : now, recipients: recipients.length },
      });
      if (moved.count !== 1) return false;
      for (let i = 0; i < recipients.length; i += PLAN_CHUNK) {
        await tx.broadcastDelivery.createMany({ data: recipients.slice(i, i + PLAN_CHUNK).map((r) => ({ broadcastId: id, ...r })) });
      }
      return true;
    });
  }

  cancel(storeId: string, id: string, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const moved = await tx.broadcast.updateMany({ where: { storeId, id, status: { in: ['draft', 'scheduled', 'sending'] } }, data: { status: 'cancelled', finishedAt: now } });
      if (moved.count !== 1) return false;
      const skipped = await tx.broadcastDelivery.updateMany({ where: { broadcastId: id, status: 'pending' }, data: { status: 'skipped', error: 'broadcast cancelled' } });
      await tx.broadcast.update({ where: { id }, data: { skipped: { increment: skipped.count } } });
      return true;
    });
  }

  async startDue(now: Date) {
    const r = await this.db.broadcast.updateMany({ where: { status: 'scheduled', scheduledAt: { lte: now } }, data: { status: 'sending', startedAt: now } });
    return r.count;
  }

  async claim(channel: MarketingChannel, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const due = await this.db.broadcastDelivery.findMany({
      where: { channel, status: 'pending', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }], broadcast: { status: 'sending' } },
      orderBy: { id: 'asc' },
      take: limit,
      include: { broadcast: { select: { storeId: true } } },
    });
    const claimed: ClaimedDelivery[] = [];
    for (const d of due) {
      // Conditional: another runner that claimed it first wins; this one skips it.
      const r = await this.db.broadcastDelivery.updateMany({ where: { id: d.id, status: 'pending' }, data: { status: 'sending', attempts: { increment: 1 }, nextAttemptAt: leaseUntil } });
      if (r.count === 1) {
        claimed.push({ id: d.id, broadcastId: d.broadcastId, storeId: d.broadcast.storeId, customerId: d.customerId, channel, address: d.address, attempts: d.attempts + 1 });
      }
    }
    return claimed;
  }

  async finish(d: ClaimedDelivery, result: DeliveryResult, now: Date) {
    await this.db.$transaction(async (tx) => {
      const data =
        result.status === 'sent'
          ? { status: 'sent', sentAt: now, messageId: result.messageId, error: null, nextAttemptAt: null }
          : result.status === 'pending'
            ? { status: 'pending', nextAttemptAt: result.retryAt, error: result.error }
            : { status: result.status, error: result.error, nextAttemptAt: null };
      const moved = await tx.broadcastDelivery.updateMany({ where: { id: d.id, status: 'sending' }, data });
      if (moved.count === 1 && result.status !== 'pending') {
        await tx.broadcast.update({ where: { id: d.broadcastId }, data: { [counterOf[result.status]]: { increment: 1 } } });
      }
    });
  }

  async expireLeases(now: Date) {
    const stale = await this.db.broadcastDelivery.findMany({ where: { status: 'sending', nextAttemptAt: { lt: now } }, select: { id: true, broadcastId: true }, take: 1000 });
    for (const d of stale) {
      await this.db.$transaction(async (tx) => {
        const moved = await tx.broadcastDelivery.updateMany({
          where: { id: d.id, status: 'sending' },
          data: { status: 'failed', error: 'interrupted mid-send; not sent again (it may have arrived)', nextAttemptAt: null },
        });
        if (moved.count === 1) await tx.broadcast.update({ where: { id: d.broadcastId }, data: { failed: { increment: 1 } } });
      });
    }
    return stale.length;
  }

  async completeFinished(now: Date) {
    const sending = await this.db.broadcast.findMany({ where: { status: 'sending' }, select: { id: true } });
    const done: BroadcastRecord[] = [];
    for (const { id } of sending) {
      const left = await this.db.broadcastDelivery.count({ where: { broadcastId: id, status: { in: ['pending', 'sending'] } } });
      if (left > 0) continue;
      const moved = await this.db.broadcast.updateMany({ where: { id, status: 'sending' }, data: { status: 'done', finishedAt: now } });
      const row = moved.count === 1 ? await this.db.broadcast.findUnique({ where: { id } }) : null;
      if (row) done.push(toRecord(row));
    }
    return done;
  }

  sentSince(customerId: string, since: Date) {
    return this.db.broadcastDelivery.count({ where: { customerId, status: 'sent', sentAt: { gte: since } } });
  }
}
