import type { Db } from '../db/client.ts';
import type { CategoryRepository } from '../../catalog/catalog.ports.ts';
import { fail, ok } from '../../shared/errors.ts';
import { toCategory } from './product-mapper.ts';
import { isUniqueViolation } from './prisma-errors.ts';

export class PrismaCategoryRepository implements CategoryRepository {
  constructor(private readonly db: Db) {}

  async list(storeId: string) {
    const rows = await this.db.category.findMany({ where: { storeId }, orderBy: [{ position: 'asc' }, { name: 'asc' }] });
    return rows.map(toCategory);
  }

  async findBySlugOrId(storeId: string, slugOrId: string) {
    const c = await this.db.category.findFirst({ where: { storeId, OR: [{ slug: slugOrId }, { id: slugOrId }] } });
    return c ? toCategory(c) : null;
  }

  async create(storeId: string, input: { slug: string; name: string; parentId?: string | null; position?: number }) {
    try {
      return ok(toCategory(await this.db.category.create({ data: { storeId, ...input } })));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `A category with slug "${input.slug}" already exists`);
      throw err;
    }
  }

  async update(storeId: string, id: string, patch: { name?: string; parentId?: string | null; position?: number }) {
    const r = await this.db.category.updateMany({ where: { storeId, id }, data: patch });
    if (r.count === 0) return null;
    return this.findBySlugOrId(storeId, id);
  }

  async remove(storeId: string, id: string) {
    return (await this.db.category.deleteMany({ where: { storeId, id } })).count > 0;
  }
}
