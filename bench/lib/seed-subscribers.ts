import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/infra/db/client.ts';
import { insertRows } from '../../src/infra/prisma/sql-batches.ts';

/**
 * `count` Telegram shoppers of a store, each with an identity (chat id
 * `firstChatId + i`) and a Consent row saying subscribed, written with batched
 * INSERTs (10,000 shoppers in about a second; the services take a minute).
 * Returns the customers' ids and chat ids, in order.
 */
export async function seedSubscribers(db: Db, storeId: string, count: number, firstChatId: number, at: Date): Promise<{ customerId: string; chatId: string }[]> {
  const tag = randomBytes(4).toString('hex');
  const people = Array.from({ length: count }, (_, i) => ({ customerId: `sub_${tag}_${i}`, chatId: String(firstChatId + i) }));
  await db.$transaction(
    async (tx) => {
      await insertRows(tx, 'Customer', ['id', 'storeId', 'displayName', 'createdAt', 'updatedAt'], people.map((p, i) => [p.customerId, storeId, `Shopper ${i}`, at, at]));
      await insertRows(
        tx,
        'ChannelIdentity',
        ['id', 'storeId', 'customerId', 'channel', 'externalUserId', 'chatId', 'createdAt'],
        people.map((p) => [`ci_${p.customerId}`, storeId, p.customerId, 'telegram', p.chatId, p.chatId, at]),
      );
      await insertRows(
        tx,
        'Consent',
        ['id', 'storeId', 'customerId', 'channel', 'status', 'source', 'changedAt'],
        people.map((p) => [`co_${p.customerId}`, storeId, p.customerId, 'telegram', 'subscribed', 'seed', at]),
      );
    },
    { timeout: 120_000 },
  );
  return people;
}
