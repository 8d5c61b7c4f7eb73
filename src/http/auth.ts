import { createMiddleware } from 'hono/factory';
import { canManageStore } from '../auth/auth.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import type { AppEnv } from './context.ts';

export const bearerSecurity = [{ bearer: [] }];

/** Admin routes: a bearer ADMIN_TOKEN or API key; store-scoped keys only for their store. */
export function requireAdmin(auth: AuthService, resolveStoreId?: (slug: string) => Promise<string | null>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw new AppError('UNAUTHORIZED', 'This route needs Authorization: Bearer <ADMIN_TOKEN or API key>');
    const principal = await auth.authenticate(m[1]);
    if (!principal) throw new AppError('UNAUTHORIZED', 'The credential is not valid or has been revoked');
    const slug = c.req.param('store');
    if (principal.storeId !== null) {
      const storeId = slug && resolveStoreId ? await resolveStoreId(slug) : null;
      if (!storeId || !canManageStore(principal, storeId)) throw new AppError('FORBIDDEN', 'This API key is not valid for this store');
    }
    c.set('principal', principal);
    await next();
  });
}
