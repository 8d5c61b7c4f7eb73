import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one line per event. Secrets are redacted by path. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'chatshop' },
    redact: {
      paths: ['authorization', 'headers.authorization', '*.token', '*.apiKey', '*.secret', 'key'],
      censor: '[redacted]',
    },
  });
}
