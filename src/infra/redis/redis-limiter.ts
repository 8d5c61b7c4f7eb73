import type { Redis } from 'ioredis';
import { WindowLimiter, type RateLimiterFactory } from '../../http/rate-limit.ts';
import type { Logger } from '../../shared/logger.ts';

/**
 * KEYS: the window's counter. ARGV: limit, window ms. Counts one request in a
 * fixed window that starts with the key's first request (the key expires at
 * its end); returns -1 when allowed, else the ms left in the window.
 */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); left = tonumber(ARGV[2]) end
  return left
end
return -1
`;

/**
 * Request limits shared by every instance on one Redis (REDIS_URL): a web
 * chat session or an address gets its budget once, not once per instance
 * behind the load balancer. When Redis cannot be reached the instance counts
 * on its own, as without Redis, rather than refusing or letting everything
 * through.
 */
export function redisRateLimiters(redis: Redis, log: Logger, prefix: string): RateLimiterFactory {
  let warned = false;
  const fellBack = (err: unknown) => {
    if (!warned) log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'redis rate limit unavailable; counting in this process');
    warned = true;
  };
  return (name, limit, windowMs) => {
    const local = new WindowLimiter(limit, windowMs);
    const key = (k: string) => `${prefix}:${name}:{${k}}`;
    return {
      async hit(k, now) {
        try {
          const left = Number(await redis.eval(HIT, 1, key(k), limit, windowMs));
          warned = false;
          return left < 0 ? null : Math.max(1, Math.ceil(left / 1000));
        } catch (err) {
          fellBack(err);
          return local.hit(k, now);
        }
      },
      async knows(k, now) {
        try {
          return (await redis.exists(key(k))) === 1;
        } catch (err) {
          fellBack(err);
          return local.knows(k, now);
        }
      },
    };
  };
}
