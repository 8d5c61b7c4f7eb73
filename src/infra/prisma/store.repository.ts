import type { Db } from '../db/client.ts';
import type { NewStore, StoreRepository } from '../../catalog/catalog.ports.ts';
import type { StoreRecord } from '../../catalog/catalog.types.ts';
import { fail, ok } from '../../shared/errors.ts';
import { isUniqueViolation } from './prisma-errors.ts';

const toStore = (s: StoreRecord & Record<string, unknown>): StoreRecord => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  currency: s.currency,
  locale: s.locale,
  reservationTtlSeconds: s.reservationTtlSeconds,
  createdAt: s.createdAt,
});

export class PrismaStoreRepository implements StoreRepository {
  constructor(private readonly db: Db) {}

  async findBySlug(slug: string) {
    const s = await this.db.store.findUnique({ where: { slug } });
    return s ? toStore(s) : null;
  }

  async list() {
    return (await this.db.store.findMany({ orderBy: { createdAt: 'asc' } })).map(toStore);
  }

  async create(input: NewStore) {
    try {
      return ok(toStore(await this.db.store.create({ data: input })));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `A store with slug "${input.slug}" already exists`);
      throw err;
    }
  }

  async update(id: string, patch: Partial<Omit<NewStore, 'slug' | 'currency'>>) {
    return toStore(await this.db.store.update({ where: { id }, data: patch }));
  }
}
