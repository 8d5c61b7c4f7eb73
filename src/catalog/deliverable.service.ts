import { fail, notFound, ok, type Result } from '../shared/errors.ts';
import type { CatalogService } from './catalog.service.ts';
import { prepareDeliverable, prepareKeys, type DeliverableRecord, type DeliverableRepository, type NewDeliverable } from './deliverables.ts';

export interface KeysAdded {
  added: number;
  /** Keys already in the pool, or repeated in the upload: skipped. */
  duplicates: number;
  available: number;
  /** Paid orders that were waiting for keys and got them now. */
  ordersFilled: number;
}

/**
 * What a product hands over once paid (file link, text, license keys), and
 * the license-key pools. Adding keys fills orders that were waiting for them.
 */
export class DeliverableService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly repo: DeliverableRepository,
    /** Hands keys to paid orders that were waiting (the digital delivery service). */
    private readonly fillWaiting: (deliverableId: string) => Promise<number>,
  ) {}

  async list(storeId: string, product: string): Promise<DeliverableRecord[]> {
    const p = await this.catalog.product(storeId, product, { includeHidden: true });
    return this.repo.list(storeId, p.id);
  }

  async add(storeId: string, product: string, input: NewDeliverable): Promise<Result<DeliverableRecord>> {
    const p = await this.catalog.product(storeId, product, { includeHidden: true });
    const prepared = prepareDeliverable(input);
    if (!prepared.ok) return prepared;
    if (prepared.value.kind === 'license_key' && (await this.repo.list(storeId, p.id)).some((d) => d.kind === 'license_key')) {
      return fail('CONFLICT', `"${p.title}" already has a license-key deliverable; add keys to its pool instead`);
    }
    return ok(await this.repo.create(storeId, p.id, prepared.value));
  }

  async remove(storeId: string, product: string, deliverableId: string): Promise<void> {
    const p = await this.catalog.product(storeId, product, { includeHidden: true });
    if (!(await this.repo.remove(storeId, p.id, deliverableId))) throw notFound('Deliverable');
  }

  /** Adds keys in bulk (each key once per pool), then hands them to orders that were waiting. */
  async addKeys(storeId: string, product: string, deliverableId: string, keys: readonly string[]): Promise<Result<KeysAdded>> {
    const p = await this.catalog.product(storeId, product, { includeHidden: true });
    const d = (await this.repo.list(storeId, p.id)).find((x) => x.id === deliverableId);
    if (!d) return fail('NOT_FOUND', 'Deliverable not found');
    if (d.kind !== 'license_key') return fail('BAD_REQUEST', `This deliverable is a ${d.kind}, not a license-key pool`);
    const prepared = prepareKeys(keys);
    if (!prepared.ok) return prepared;
    const { added, duplicates } = await this.repo.addKeys(d.id, prepared.value.keys);
    const ordersFilled = added > 0 ? await this.fillWaiting(d.id) : 0;
    const after = (await this.repo.list(storeId, p.id)).find((x) => x.id === d.id);
    return ok({ added, duplicates: duplicates + prepared.value.repeated, available: after?.keys?.available ?? 0, ordersFilled });
  }
}
