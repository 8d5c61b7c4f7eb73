import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { GroupDealRepository } from '../../marketing/group-deal.ports.ts';
import type { GroupDealChannel, GroupDealMemberRecord, GroupDealRecord, GroupDealStatus, MemberOutcome, NewGroupDeal } from '../../marketing/group-deal.types.ts';
import { isUniqueViolation } from './prisma-errors.ts';

const withCount = { _count: { select: { members: { where: { status: 'joined' } } } } } as const;
type Row = Prisma.GroupDealGetPayload<{ include: typeof withCount }>;
type MemberRow = Prisma.GroupDealMemberGetPayload<object>;

function toDeal(r: Row): GroupDealRecord {
  return {
    id: r.id,
    storeId: r.storeId,
    productId: r.productId,
    variantId: r.variantId,
    sku: r.sku,
    title: r.title,
    groupPrice: r.groupPrice,
    regularPrice: r.regularPrice,
    currency: r.currency,
    minPeople: r.minPeople,
    endsAt: r.endsAt,
    status: r.status as GroupDealStatus,
    createdBy: r.createdBy,
    channel: r.channel as GroupDealChannel,
    chatId: r.chatId,
    messageId: r.messageId,
    shownCount: r.shownCount,
    shownAt: r.shownAt,
    closedAt: r.closedAt,
    createdAt: r.createdAt,
    joined: r._count.members,
  };
}

function toMember(r: MemberRow): GroupDealMemberRecord {
  return {
    id: r.id,
    dealId: r.dealId,
    customerId: r.customerId,
    channel: r.channel as GroupDealChannel,
    externalUserId: r.externalUserId,
    status: r.status as 'joined' | 'left',
    outcome: r.outcome as MemberOutcome | null,
    orderId: r.orderId,
    notifiedAt: r.notifiedAt,
  };
}

export class PrismaGroupDealRepository implements GroupDealRepository {
  constructor(private readonly db: Db) {}

  async create(d: NewGroupDeal) {
    return toDeal(await this.db.groupDeal.create({ data: d, include: withCount }));
  }

  async get(storeId: string, id: string) {
    const r = await this.db.groupDeal.findFirst({ where: { id, storeId }, include: withCount });
    return r ? toDeal(r) : null;
  }

  async byId(id: string) {
    const r = await this.db.groupDeal.findFirst({ where: { id }, include: withCount });
    return r ? toDeal(r) : null;
  }

  async list(storeId: string, limit: number) {
    return (await this.db.groupDeal.findMany({ where: { storeId }, orderBy: { createdAt: 'desc' }, take: limit, include: withCount })).map(toDeal);
  }

  async setMessage(id: string, messageId: string) {
    await this.db.groupDeal.update({ where: { id }, data: { messageId } });
  }

  async join(dealId: string, m: { customerId: string; channel: string; externalUserId: string }) {
    const back = await this.db.groupDealMember.updateMany({ where: { dealId, customerId: m.customerId, status: 'left' }, data: { status: 'joined', joinedAt: new Date() } });
    if (back.count === 1) return true;
    try {
      await this.db.groupDealMember.create({ data: { dealId, ...m } });
      return true;
    } catch (err) {
      // Already in (this tap twice, or two taps at once): one membership.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async leave(dealId: string, customerId: string) {
    return (await this.db.groupDealMember.updateMany({ where: { dealId, customerId, status: 'joined' }, data: { status: 'left' } })).count === 1;
  }

  async statusOf(dealId: string) {
    return (await this.db.groupDeal.findUnique({ where: { id: dealId }, select: { status: true } }))?.status ?? null;
  }

  async claimShown(dealId: string, count: number, now: Date, before: Date) {
    const r = await this.db.groupDeal.updateMany({ where: { id: dealId, OR: [{ shownAt: null }, { shownAt: { lt: before } }] }, data: { shownCount: count, shownAt: now } });
    return r.count === 1;
  }

  async staleShown(limit: number) {
    const open = await this.db.groupDeal.findMany({ where: { status: 'open', messageId: { not: null } }, orderBy: { endsAt: 'asc' }, take: 500, include: withCount });
    return open.map(toDeal).filter((d) => d.shownCount !== d.joined).slice(0, limit);
  }

  async claimDue(now: Date, staleBefore: Date, limit: number) {
    const due = { OR: [{ status: 'open', endsAt: { lte: now } }, { status: 'closing', closingAt: { lt: staleBefore } }] };
    const candidates = await this.db.groupDeal.findMany({ where: due, orderBy: { endsAt: 'asc' }, take: limit, select: { id: true } });
    const claimed: GroupDealRecord[] = [];
    for (const { id } of candidates) {
      const won = await this.db.groupDeal.updateMany({ where: { id, ...due }, data: { status: 'closing', closingAt: now } });
      if (won.count !== 1) continue;
      const r = await this.db.groupDeal.findUnique({ where: { id }, include: withCount });
      if (r) claimed.push(toDeal(r));
    }
    return claimed;
  }

  async joinedMembers(dealId: string) {
    return (await this.db.groupDealMember.findMany({ where: { dealId, status: 'joined' }, orderBy: { joinedAt: 'asc' } })).map(toMember);
  }

  async setOutcome(memberId: string, outcome: MemberOutcome, orderId: string | null) {
    await this.db.groupDealMember.updateMany({ where: { id: memberId, outcome: null }, data: { outcome, orderId } });
  }

  async claimNotice(memberId: string, now: Date) {
    return (await this.db.groupDealMember.updateMany({ where: { id: memberId, notifiedAt: null }, data: { notifiedAt: now } })).count === 1;
  }

  async finish(dealId: string, status: 'succeeded' | 'failed', now: Date) {
    await this.db.groupDeal.updateMany({ where: { id: dealId, status: 'closing' }, data: { status, closedAt: now } });
  }
}
