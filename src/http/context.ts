import { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../auth/auth.service.ts';
import type { Container } from '../container.ts';
import { validationError } from './errors.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
  };
}

/** Every router is built the same way: zod failures become VALIDATION_FAILED. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

export type RouteDeps = Pick<Container, 'services' | 'config' | 'log' | 'health' | 'processedEvents' | 'rateLimiters'>;
