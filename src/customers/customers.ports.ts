import type { CustomerInput, CustomerRecord, IdentityInput } from './customers.types.ts';

export interface CustomerRepository {
  findById(storeId: string, id: string): Promise<CustomerRecord | null>;
  list(storeId: string, q: { search?: string | undefined; limit: number; cursor?: string | undefined }): Promise<{ items: CustomerRecord[]; nextCursor: string | null }>;
  create(storeId: string, input: CustomerInput, identity?: IdentityInput): Promise<CustomerRecord>;
  update(storeId: string, id: string, patch: CustomerInput): Promise<CustomerRecord | null>;
  /** The customer behind a channel identity, created on first contact (race-safe). */
  /** The platform said the user blocked us (or left): stop sending until they come back. */
  markUnreachable(storeId: string, channel: string, externalUserId: string, at: Date | null): Promise<void>;
  upsertByIdentity(storeId: string, identity: IdentityInput, profile: CustomerInput): Promise<CustomerRecord>;
}
