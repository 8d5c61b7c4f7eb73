import { randomToken, safeEqual, sha256Hex } from '../shared/ids.ts';
import type { Clock } from '../shared/time.ts';
import type { ApiKeyRecord, ApiKeyRepository } from './auth.ports.ts';

export type Principal =
  | { kind: 'admin-token'; storeId: null; role: 'admin'; id: 'admin-token' }
  | { kind: 'api-key'; storeId: string | null; role: 'admin' | 'seller'; id: string };

const KEY_PREFIX = 'csk_';

/**
 * Admin credentials: the bootstrap ADMIN_TOKEN and API keys. Keys are shown
 * once at creation and stored as SHA-256 hashes; comparisons are constant-time.
 */
export class AuthService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly adminToken: string | undefined,
    private readonly clock: Clock,
  ) {}

  async authenticate(bearer: string): Promise<Principal | null> {
    if (this.adminToken && safeEqual(bearer, this.adminToken)) {
      return { kind: 'admin-token', storeId: null, role: 'admin', id: 'admin-token' };
    }
    if (!bearer.startsWith(KEY_PREFIX) || bearer.length > 200) return null;
    const hash = sha256Hex(bearer);
    const key = await this.keys.findByHash(hash);
    if (!key || key.revokedAt || !safeEqual(key.hash, hash)) return null;
    const now = this.clock.now();
    // Touch at most once a minute: no write per request on the hot path.
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) await this.keys.touch(key.id, now);
    return { kind: 'api-key', storeId: key.storeId, role: key.role, id: key.id };
  }

  /** Creates a key; the returned `key` is the only time the secret is visible. */
  async createKey(input: { storeId: string | null; name: string; role: 'admin' | 'seller' }): Promise<{ key: string; record: ApiKeyRecord }> {
    const secret = `${KEY_PREFIX}${randomToken(30)}`;
    const record = await this.keys.create({ ...input, prefix: secret.slice(0, 10), hash: sha256Hex(secret) });
    return { key: secret, record };
  }

  listKeys() {
    return this.keys.list();
  }

  revokeKey(id: string) {
    return this.keys.revoke(id, this.clock.now());
  }

  /**
   * With no ADMIN_TOKEN and no key yet, the first start creates an admin key
   * and returns it so that main.ts can print it once.
   */
  async bootstrapKey(): Promise<string | null> {
    if (this.adminToken || (await this.keys.countActive()) > 0) return null;
    const { key } = await this.createKey({ storeId: null, name: 'bootstrap admin', role: 'admin' });
    return key;
  }
}

export function canManageStore(p: Principal, storeId: string): boolean {
  return p.storeId === null || p.storeId === storeId;
}
