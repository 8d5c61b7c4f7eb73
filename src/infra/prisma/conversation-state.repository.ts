import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { ConversationMemory, ConversationStateStore, StoredConversation } from '../../conversation/state.ts';
import { isUniqueViolation } from './prisma-errors.ts';

function toMemory(json: Prisma.JsonValue): ConversationMemory {
  // Written only by the engine through save(); an unreadable row starts afresh.
  return json && typeof json === 'object' && !Array.isArray(json) ? json : {};
}

export class PrismaConversationStateStore implements ConversationStateStore {
  constructor(private readonly db: Db) {}

  async load(storeId: string, key: string): Promise<StoredConversation | null> {
    const row = await this.db.conversationState.findUnique({ where: { storeId_key: { storeId, key } } });
    return row ? { memory: toMemory(row.data), customerId: row.customerId, locale: row.locale, version: row.version } : null;
  }

  async save(storeId: string, key: string, state: Omit<StoredConversation, 'version'>, expectedVersion: number): Promise<boolean> {
    const data = JSON.parse(JSON.stringify(state.memory)) as Prisma.InputJsonValue;
    if (expectedVersion === 0) {
      try {
        await this.db.conversationState.create({ data: { storeId, key, data, customerId: state.customerId, locale: state.locale, version: 1 } });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    }
    const r = await this.db.conversationState.updateMany({
      where: { storeId, key, version: expectedVersion },
      data: { data, customerId: state.customerId, locale: state.locale, version: { increment: 1 } },
    });
    return r.count === 1;
  }
}
