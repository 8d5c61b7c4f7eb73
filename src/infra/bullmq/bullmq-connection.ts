import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ's connection settings from REDIS_URL. BullMQ opens its own
 * connections (a worker blocks on one), which must wait for Redis rather than
 * fail fast like the shared client does.
 */
export function bullmqConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1) || 0);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
