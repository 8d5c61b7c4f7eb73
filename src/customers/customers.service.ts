import { notFound } from '../shared/errors.ts';
import type { CustomerRepository } from './customers.ports.ts';
import type { CustomerInput, CustomerRecord, IdentityInput } from './customers.types.ts';

export class CustomerService {
  constructor(private readonly customers: CustomerRepository) {}

  async get(storeId: string, id: string): Promise<CustomerRecord> {
    const c = await this.customers.findById(storeId, id);
    if (!c) throw notFound('Customer');
    return c;
  }

  list(storeId: string, q: { search?: string | undefined; limit: number; cursor?: string | undefined }) {
    return this.customers.list(storeId, q);
  }

  create(storeId: string, input: CustomerInput, identity?: IdentityInput) {
    return identity ? this.customers.upsertByIdentity(storeId, identity, input) : this.customers.create(storeId, input);
  }

  async update(storeId: string, id: string, patch: CustomerInput): Promise<CustomerRecord> {
    const c = await this.customers.update(storeId, id, patch);
    if (!c) throw notFound('Customer');
    return c;
  }

  /** A platform refused delivery (blocked bot): mark it; null when the user is back. */
  markUnreachable(storeId: string, channel: string, externalUserId: string, at: Date | null) {
    return this.customers.markUnreachable(storeId, channel, externalUserId, at);
  }

  /** Used by every channel: who is this shopper in this store? */
  identify(storeId: string, identity: IdentityInput, profile: CustomerInput = {}) {
    return this.customers.upsertByIdentity(storeId, identity, profile);
  }
}
