import { fail, ok, type Result } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import type { BroadcastRepository, NewBroadcast, RecipientFinder } from './broadcast.ports.ts';
import type { BroadcastMessage, BroadcastRecord } from './broadcast.types.ts';
import type { BroadcastResults, BroadcastResultsPort } from './broadcast-results.ts';

/** A product as a broadcast shows it; null when it is gone or not for sale. */
export type ProductCard = (storeId: string, productId: string) => Promise<{ id: string; title: string; price: string } | null>;

const MAX_TEXT = 3500;

export interface BroadcastPreview {
  broadcast: BroadcastRecord;
  /** Recipients if it were confirmed now, by channel. */
  recipients: { telegram: number; discord: number };
}

/**
 * Seller broadcasts: compose a draft, see who it reaches, confirm to send
 * now or at a time, follow its progress, cancel. Sending is the runner's.
 */
export class BroadcastService {
  constructor(
    private readonly repo: BroadcastRepository,
    private readonly audience: RecipientFinder,
    private readonly clock: Clock,
    private readonly productCard: ProductCard = () => Promise.resolve(null),
    private readonly outcomes: Pick<BroadcastResultsPort, 'results'> | null = null,
  ) {}

  /** Clicks on the Buy button and the orders and revenue that followed (7 days after each click). */
  async results(storeId: string, id: string): Promise<BroadcastResults | null> {
    const b = await this.repo.get(storeId, id);
    return b && this.outcomes ? this.outcomes.results(b.id) : null;
  }

  /** What every recipient is sent; null once the broadcast is cancelled or its product is gone. */
  async message(ref: { id: string; storeId: string }): Promise<BroadcastMessage | null> {
    const b = await this.repo.get(ref.storeId, ref.id);
    if (!b || b.status === 'cancelled') return null;
    const product = b.productId ? await this.productCard(b.storeId, b.productId) : null;
    if (b.productId && !product) return null;
    return { broadcastId: b.id, storeId: b.storeId, text: b.text, imageUrl: b.imageUrl, product };
  }

  async draft(storeId: string, input: NewBroadcast): Promise<Result<BroadcastPreview>> {
    const text = input.text.trim();
    if (!text) return fail('VALIDATION_FAILED', 'text: the message is empty');
    if (text.length > MAX_TEXT) return fail('VALIDATION_FAILED', `text: at most ${MAX_TEXT} characters (a Telegram caption or message must fit)`);
    if (input.imageUrl !== null && !/^https:\/\/\S{1,2000}$/.test(input.imageUrl)) return fail('VALIDATION_FAILED', 'imageUrl: must be an https URL');
    const unknown = await this.audience.unknownRefs(storeId, input.segment);
    if (unknown.length) return fail('VALIDATION_FAILED', `segment: this store has no ${unknown.map((u) => `"${u}"`).join(', ')}`);
    const broadcast = await this.repo.create(storeId, { ...input, text });
    return ok(await this.preview(broadcast));
  }

  async get(storeId: string, id: string): Promise<Result<BroadcastPreview>> {
    const b = await this.repo.get(storeId, id);
    return b ? ok(await this.preview(b)) : fail('NOT_FOUND', 'Broadcast not found');
  }

  list(storeId: string, limit = 20) {
    return this.repo.list(storeId, limit);
  }

  /** Plans the deliveries and sends now (no `at`) or at `at`; a second confirm changes nothing. */
  async confirm(storeId: string, id: string, at?: Date): Promise<Result<BroadcastRecord>> {
    const b = await this.repo.get(storeId, id);
    if (!b) return fail('NOT_FOUND', 'Broadcast not found');
    if (b.status !== 'draft') return fail('ILLEGAL_TRANSITION', `The broadcast is already ${b.status}`);
    const now = this.clock.now();
    if (at && at.getTime() <= now.getTime()) return fail('VALIDATION_FAILED', 'at: the time has passed; leave it out to send now');
    const recipients = await this.audience.find(storeId, b.segment);
    if (recipients.length === 0) return fail('VALIDATION_FAILED', 'Nobody in this segment has agreed to receive offers yet');
    if (!(await this.repo.confirm(b.id, recipients, at ?? null, now))) return fail('ILLEGAL_TRANSITION', 'The broadcast changed meanwhile; reload it');
    const after = await this.repo.get(storeId, id);
    return after ? ok(after) : fail('NOT_FOUND', 'Broadcast not found');
  }

  async cancel(storeId: string, id: string): Promise<Result<BroadcastRecord>> {
    if (!(await this.repo.cancel(storeId, id, this.clock.now()))) {
      const b = await this.repo.get(storeId, id);
      return b ? fail('ILLEGAL_TRANSITION', `The broadcast is already ${b.status}`) : fail('NOT_FOUND', 'Broadcast not found');
    }
    const after = await this.repo.get(storeId, id);
    return after ? ok(after) : fail('NOT_FOUND', 'Broadcast not found');
  }

  private async preview(broadcast: BroadcastRecord): Promise<BroadcastPreview> {
    const recipients = { telegram: 0, discord: 0 };
    if (broadcast.status === 'draft') for (const r of await this.audience.find(broadcast.storeId, broadcast.segment)) recipients[r.channel]++;
    return { broadcast, recipients };
  }
}
