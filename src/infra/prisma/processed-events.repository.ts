import type { Db } from '../db/client.ts';
import type { ProcessedEvents } from '../../shared/processed-events.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/** Claims are rows of ProcessedEvent; the unique (provider, eventId) index decides races. */
export class PrismaProcessedEvents implements ProcessedEvents {
  constructor(private readonly db: Db) {}

  async claim(provider: string, eventId: string): Promise<boolean> {
    try {
      await this.db.processedEvent.create({ data: { provider, eventId } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async release(provider: string, eventId: string): Promise<void> {
    await this.db.processedEvent.deleteMany({ where: { provider, eventId } });
  }

  async prune(before: Date): Promise<number> {
    const r = await this.db.processedEvent.deleteMany({ where: { processedAt: { lt: before } } });
    return r.count;
  }
}
