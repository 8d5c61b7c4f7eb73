export interface ApiKeyRecord {
  id: string;
  storeId: string | null;
  name: string;
  role: 'admin' | 'seller';
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyRepository {
  findByHash(hash: string): Promise<(ApiKeyRecord & { hash: string }) | null>;
  create(input: { storeId: string | null; name: string; role: 'admin' | 'seller'; prefix: string; hash: string }): Promise<ApiKeyRecord>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: Date): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
  countActive(): Promise<number>;
}
