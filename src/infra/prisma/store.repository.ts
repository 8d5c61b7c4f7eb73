import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { NewStore, StoreRepository } from '../../catalog/catalog.ports.ts';
import type { StoreRecord } from '../../catalog/catalog.types.ts';
import { parseShippingRates } from '../../catalog/store-settings.ts';
import { fail, ok } from '../../shared/errors.ts';
import { isUniqueViolation } from './prisma-errors.ts';

type StoreRow = Omit<StoreRecord, 'shippingRates'> & { shippingRates: unknown };

const toStore = (s: StoreRow): StoreRecord => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  currency: s.currency,
  locale: s.locale,
  reservationTtlSeconds: s.reservationTtlSeconds,
  taxRateBps: s.taxRateBps,
  taxInclusive: s.taxInclusive,
  shippingRates: parseShippingRates(s.shippingRates),
  staffTelegramChatId: s.staffTelegramChatId,
  staffDiscordChannelId: s.staffDiscordChannelId,
  createdAt: s.createdAt,
});

/** Store fields as Prisma writes them: the rate list becomes plain JSON. */
function toData<T extends { shippingRates?: NewStore['shippingRates'] }>(input: T) {
  const { shippingRates, ...rest } = input;
  if (shippingRates === undefined) return rest;
  return { ...rest, shippingRates: JSON.parse(JSON.stringify(shippingRates)) as Prisma.InputJsonValue };
}

export class PrismaStoreRepository implements StoreRepository {
  constructor(private readonly db: Db) {}

  async findBySlug(slug: string) {
    const s = await this.db.store.findUnique({ where: { slug } });
    return s ? toStore(s) : null;
  }

  async findById(id: string) {
    const s = await this.db.store.findUnique({ where: { id } });
    return s ? toStore(s) : null;
  }

  async list() {
    return (await this.db.store.findMany({ orderBy: { createdAt: 'asc' } })).map(toStore);
  }

  async create(input: NewStore) {
    try {
      return ok(toStore(await this.db.store.create({ data: toData(input) })));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `A store with slug "${input.slug}" already exists`);
      throw err;
    }
  }

  async update(id: string, patch: Partial<Omit<NewStore, 'slug' | 'currency'>>) {
    return toStore(await this.db.store.update({ where: { id }, data: toData(patch) }));
  }
}
