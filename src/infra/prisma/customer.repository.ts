import type { Db } from '../db/client.ts';
import type { CustomerRepository } from '../../customers/customers.ports.ts';
import type { CustomerInput, CustomerRecord, IdentityInput } from '../../customers/customers.types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { isUniqueViolation } from './prisma-errors.ts';

const include = { identities: { orderBy: { createdAt: 'asc' } } } as const;

type Row = Omit<CustomerRecord, 'identities'> & { identities: CustomerRecord['identities'] };

const toCustomer = (c: Row): CustomerRecord => ({
  id: c.id,
  storeId: c.storeId,
  displayName: c.displayName,
  email: c.email,
  phone: c.phone,
  locale: c.locale,
  createdAt: c.createdAt,
  identities: c.identities.map((i) => ({
    id: i.id,
    channel: i.channel,
    externalUserId: i.externalUserId,
    chatId: i.chatId,
    username: i.username,
    locale: i.locale,
    unreachableAt: i.unreachableAt,
  })),
});

export class PrismaCustomerRepository implements CustomerRepository {
  constructor(private readonly db: Db) {}

  async findById(storeId: string, id: string) {
    const c = await this.db.customer.findFirst({ where: { storeId, id }, include });
    return c ? toCustomer(c) : null;
  }

  async list(storeId: string, q: { search?: string | undefined; limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(q.cursor);
    const search = q.search?.trim();
    const rows = await this.db.customer.findMany({
      where: {
        storeId,
        ...(search && {
          OR: [
            { displayName: { contains: search } },
            { email: { contains: search } },
            { identities: { some: { OR: [{ username: { contains: search } }, { externalUserId: search }] } } },
          ],
        }),
      },
      include,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
      ...(after && { cursor: { id: after }, skip: 1 }),
    });
    const items = rows.slice(0, q.limit).map(toCustomer);
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)?.id ?? '') : null };
  }

  async create(storeId: string, input: CustomerInput) {
    return toCustomer(await this.db.customer.create({ data: { storeId, ...input }, include }));
  }

  async update(storeId: string, id: string, patch: CustomerInput) {
    const r = await this.db.customer.updateMany({ where: { storeId, id }, data: patch });
    return r.count ? this.findById(storeId, id) : null;
  }

  async markUnreachable(storeId: string, channel: string, externalUserId: string, at: Date | null) {
    await this.db.channelIdentity.updateMany({ where: { storeId, channel, externalUserId }, data: { unreachableAt: at } });
  }

  async upsertByIdentity(storeId: string, identity: IdentityInput, profile: CustomerInput): Promise<CustomerRecord> {
    const key = { storeId_channel_externalUserId: { storeId, channel: identity.channel, externalUserId: identity.externalUserId } };
    const existing = await this.db.channelIdentity.findUnique({ where: key });
    if (existing) {
      await this.db.channelIdentity.update({
        where: key,
        data: {
          // Hearing from someone again means they can be reached again.
          unreachableAt: null,
          ...(identity.chatId !== undefined && { chatId: identity.chatId }),
          ...(identity.username !== undefined && { username: identity.username }),
          ...(identity.locale !== undefined && { locale: identity.locale }),
        },
      });
      const c = await this.findById(storeId, existing.customerId);
      if (c) return c;
    }
    try {
      const c = await this.db.customer.create({
        data: {
          storeId,
          displayName: profile.displayName ?? identity.username ?? '',
          email: profile.email ?? null,
          phone: profile.phone ?? null,
          locale: profile.locale ?? identity.locale ?? null,
          identities: {
            create: {
              storeId,
              channel: identity.channel,
              externalUserId: identity.externalUserId,
              chatId: identity.chatId ?? null,
              username: identity.username ?? null,
              locale: identity.locale ?? null,
            },
          },
        },
        include,
      });
      return toCustomer(c);
    } catch (err) {
      // Two first messages at once: the other request created the identity.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.db.channelIdentity.findUniqueOrThrow({ where: key });
      const c = await this.findById(storeId, winner.customerId);
      if (!c) throw err;
      return c;
    }
  }
}
