import type { Db } from '../db/client.ts';
import type { ApiKeyRecord, ApiKeyRepository } from '../../auth/auth.ports.ts';

type Row = Omit<ApiKeyRecord, 'role'> & { role: string; hash: string };

const toKey = (k: Row): ApiKeyRecord => ({
  id: k.id,
  storeId: k.storeId,
  name: k.name,
  role: k.role === 'seller' ? 'seller' : 'admin',
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

export class PrismaApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async findByHash(hash: string) {
    const k = await this.db.apiKey.findUnique({ where: { hash } });
    return k ? { ...toKey(k), hash: k.hash } : null;
  }

  async create(input: { storeId: string | null; name: string; role: 'admin' | 'seller'; prefix: string; hash: string }) {
    return toKey(await this.db.apiKey.create({ data: input }));
  }

  async list() {
    return (await this.db.apiKey.findMany({ orderBy: { createdAt: 'asc' } })).map(toKey);
  }

  async revoke(id: string, at: Date) {
    return (await this.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } })).count > 0;
  }

  async touch(id: string, at: Date) {
    await this.db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
  }

  countActive() {
    return this.db.apiKey.count({ where: { revokedAt: null } });
  }
}
