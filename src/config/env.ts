import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * The one place that reads process.env. Every key is listed in .env.example.
 * Empty strings count as missing; a bad value stops start-up with a message
 * that names the key (never its value: some keys are secrets).
 */

const optionalString = z.string().trim().min(1).optional();
const optionalUrl = z.url().optional();

const sellerIds = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return [];
    const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const parsed: { channel: string; externalId: string }[] = [];
    for (const id of ids) {
      const m = /^(telegram|discord|web):([A-Za-z0-9_.-]{1,64})$/.exec(id);
      if (!m?.[1] || !m[2]) {
        ctx.addIssue({ code: 'custom', message: `"${id}" is not <telegram|discord|web>:<user id>` });
        return z.NEVER;
      }
      parsed.push({ channel: m[1], externalId: m[2] });
    }
    return parsed;
  });

/** STAFF_NOTIFY: where staff hear of paid orders and return requests, unless a store sets its own. */
const staffNotify = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const targets: { telegram?: string; discord?: string } = {};
    for (const entry of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^(telegram:(-?\d{1,20}|@[A-Za-z0-9_]{5,32})|discord:(\d{5,25}))$/.exec(entry);
      const channel = m?.[2] ? 'telegram' : m?.[3] ? 'discord' : null;
      if (!channel || targets[channel]) {
        ctx.addIssue({ code: 'custom', message: channel ? `more than one ${channel} target` : `"${entry}" is not telegram:<chat id or @channel> or discord:<channel id>` });
        return z.NEVER;
      }
      targets[channel] = m?.[2] ?? m?.[3] ?? '';
    }
    return targets;
  });

const databaseUrl = z
  .string()
  .default('file:./data/chatshop.db')
  .refine((u) => /^(file:|postgres(ql)?:\/\/)/.test(u), {
    message: 'must start with file: (SQLite) or postgresql:// (PostgreSQL)',
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: databaseUrl,
  /**
   * Embedded SQLite only: full (default) syncs the write-ahead log to disk at
   * every commit (but for writes whose loss in a power cut is harmless, see
   * DirectSql.executeUnsynced); normal only at checkpoints — as safe against
   * a crash of the process, but a power loss or OS crash may undo the last
   * commits (never corrupting the file). Normal takes the fsync off every write.
   */
  SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalUrl,
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Signs deep links that carry credit (campaigns, referrals); derived from the bot token or ADMIN_TOKEN when unset. */
  LINK_SECRET: z
    .string()
    .regex(/^\S{32,256}$/, 'must be 32-256 characters without spaces (e.g. openssl rand -hex 32)')
    .optional(),
  DEFAULT_STORE: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a store slug').default('demo'),
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  RESERVATION_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** Chat turns per minute one web chat session may send (an address may send four times as many). */
  CHAT_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(30),

  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)')
    .optional(),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'may only hold A-Z a-z 0-9 _ - (1-256 chars)')
    .optional(),
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_PAYMENT_PROVIDER_TOKEN: optionalString,

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric snowflake').optional(),
  DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters').optional(),
  DISCORD_API_ROOT: optionalUrl,
  DISCORD_GATEWAY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Members with this Discord role may use the seller commands (besides SELLER_IDS discord:<id>). */
  DISCORD_STAFF_ROLE_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric role id (Developer Mode → right-click the role → Copy Role ID)').optional(),

  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'must start with sk_test_, sk_live_, rk_…').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must start with whsec_').optional(),
  STRIPE_API_BASE: optionalUrl,
  STRIPE_SHIPPING_COUNTRIES: z
    .string()
    .default('US,CA,GB,IE,FR,DE,ES,IT,NL,BE,LU,AT,PT,SE,DK,FI,NO,CH,PL,CZ,AU,NZ')
    .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'must be two-letter country codes separated by commas')).min(1)),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** Past this the local parser answers (and search keeps its full-text order). */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),

  SELLER_IDS: sellerIds,
  STAFF_NOTIFY: staffNotify,

  /** No marketing message in these local hours ("21:00-09:00"; "off" for none). */
  MARKETING_QUIET_HOURS: z
    .string()
    .default('21:00-09:00')
    .transform((v, ctx) => {
      if (v.trim().toLowerCase() === 'off') return null;
      const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(v.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'must be HH:MM-HH:MM (e.g. 21:00-09:00) or off' });
        return z.NEVER;
      }
      return { start: Number(m[1]) * 60 + Number(m[2]), end: Number(m[3]) * 60 + Number(m[4]) };
    }),
  /** The store's time zone for quiet hours, for customers whose own is unknown. */
  MARKETING_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((z_) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: z_ });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin'),
  /** What a referrer earns when a referred shopper's first order is paid, in /promo words ("10%", "5 off", "freeship"), or off. */
  REFERRAL_REWARD: z
    .string()
    .default('10%')
    .transform((v) => v.trim())
    .refine((v) => v.toLowerCase() === 'off' || /^(\d{1,3}(\.\d{1,2})?%|\d{1,6}([.,]\d{1,2})? off|free-?ship(ping)?)$/i.test(v), 'must be like 10%, 5 off, freeship, or off')
    .transform((v) => (v.toLowerCase() === 'off' ? null : v)),
  /** At most this many marketing messages per customer in 24 hours (0: no cap). */
  MARKETING_MAX_PER_DAY: z.coerce.number().int().min(0).max(100).default(3),
});

export type Config = z.infer<typeof envSchema> & {
  publicUrl: string;
  databaseProvider: 'sqlite' | 'postgresql';
  /** LINK_SECRET, else derived from TELEGRAM_BOT_TOKEN or ADMIN_TOKEN; null when none is set (signed links off). */
  linkSecret: string | null;
};

/**
 * The deep-link signing secret when LINK_SECRET is unset: an HMAC of a fixed
 * label under the bot token (or ADMIN_TOKEN), so the token itself is never
 * the key. Rotating that token invalidates links already shared; set
 * LINK_SECRET to keep them valid across rotations.
 */
function derivedLinkSecret(c: { LINK_SECRET?: string | undefined; TELEGRAM_BOT_TOKEN?: string | undefined; ADMIN_TOKEN?: string | undefined }): string | null {
  if (c.LINK_SECRET) return c.LINK_SECRET;
  const base = c.TELEGRAM_BOT_TOKEN ?? c.ADMIN_TOKEN;
  return base ? createHmac('sha256', base).update('chatshop LINK_SECRET v1').digest('hex') : null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Throws ConfigError naming each bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') cleaned[key] = v;
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const c = result.data;
  const problems: string[] = [];
  if (c.TELEGRAM_MODE === 'webhook' && c.TELEGRAM_BOT_TOKEN && !c.PUBLIC_URL) {
    problems.push('PUBLIC_URL: required when TELEGRAM_MODE=webhook');
  }
  if (c.TELEGRAM_MODE === 'webhook' && c.TELEGRAM_BOT_TOKEN && !c.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook');
  }
  if (c.DISCORD_TOKEN && (!c.DISCORD_APPLICATION_ID || !c.DISCORD_PUBLIC_KEY)) {
    problems.push('DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY: required with DISCORD_TOKEN');
  }
  if (c.DISCORD_GATEWAY && !c.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required with DISCORD_GATEWAY=true');
  if (c.STAFF_NOTIFY.telegram && !c.TELEGRAM_BOT_TOKEN) problems.push('TELEGRAM_BOT_TOKEN: required for STAFF_NOTIFY telegram:<chat>');
  if (c.STAFF_NOTIFY.discord && !c.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required for STAFF_NOTIFY discord:<channel>');
  if (c.STRIPE_SECRET_KEY && !c.STRIPE_WEBHOOK_SECRET) {
    problems.push('STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    databaseProvider: c.DATABASE_URL.startsWith('file:') ? 'sqlite' : 'postgresql',
    linkSecret: derivedLinkSecret(c),
  };
}
