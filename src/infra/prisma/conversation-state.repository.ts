import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { asJson, asNumber, directSql, type DirectSql } from '../db/direct-sql.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { ConversationMemory, ConversationStateStore, StoredConversation } from '../../conversation/state.ts';

function toMemory(json: unknown): ConversationMemory {
  // Written only by the engine through save(); an unreadable row starts afresh.
  return json && typeof json === 'object' && !Array.isArray(json) ? json : {};
}

/** One chat's memory: read and written once per turn, so on the direct SQL path (see direct-sql.ts). */
export class PrismaConversationStateStore implements ConversationStateStore {
  private readonly sql: DirectSql;

  constructor(db: Db) {
    this.sql = directSql(db);
  }

  async load(storeId: string, key: string): Promise<StoredConversation | null> {
    const [row] = await this.sql.query<{ data: unknown; customerId: string | null; locale: string | null; version: unknown }>(
      Prisma.sql`SELECT "data", "customerId", "locale", "version" FROM "ConversationState" WHERE "storeId" = ${storeId} AND "key" = ${key}`,
    );
    return row ? { memory: toMemory(asJson(row.data)), customerId: row.customerId, locale: row.locale, version: asNumber(row.version) } : null;
  }

  /**
   * Written only if still at expectedVersion (0: not yet written); false when
   * another turn wrote first. Unsynced (see DirectSql.executeUnsynced): the
   * memory is what the chat was about (last results, a pending choice), not a
   * record; a power cut that undid the last turn's would make the shopper
   * repeat a step, and the next synced commit, moments later under load,
   * makes it durable. One fsync fewer per update.
   */
  async save(storeId: string, key: string, state: Omit<StoredConversation, 'version'>, expectedVersion: number): Promise<boolean> {
    const data = this.sql.json(state.memory);
    const now = new Date();
    const changed =
      expectedVersion === 0
        ? await this.sql.executeUnsynced(Prisma.sql`
            INSERT INTO "ConversationState" ("id", "storeId", "key", "customerId", "locale", "data", "version", "createdAt", "updatedAt")
            VALUES (${randomUUID()}, ${storeId}, ${key}, ${state.customerId}, ${state.locale}, ${data}, 1, ${now}, ${now})
            ON CONFLICT ("storeId", "key") DO NOTHING`)
        : await this.sql.executeUnsynced(Prisma.sql`
            UPDATE "ConversationState" SET "data" = ${data}, "customerId" = ${state.customerId}, "locale" = ${state.locale}, "version" = "version" + 1, "updatedAt" = ${now}
            WHERE "storeId" = ${storeId} AND "key" = ${key} AND "version" = ${expectedVersion}`);
    return changed === 1;
  }
}
