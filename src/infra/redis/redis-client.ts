import { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.ts';

/**
 * The one Redis client (REDIS_URL). Commands fail fast instead of queueing
 * while Redis is unreachable, so callers can fall back (pacing falls back to
 * the in-process pacer) rather than stall every send.
 */
export function createRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 500, lazyConnect: false });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err: { message: err.message } }, 'redis unreachable; shared rate limits fall back to this process');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis reachable again');
    down = false;
  });
  return redis;
}

/** Resolves once the client is connected (true), or after `ms` without (false: callers fall back meanwhile). */
export function whenReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.once('ready', onReady);
  });
}
