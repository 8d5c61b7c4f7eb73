import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';

describe('configuration', () => {
  it('starts with no keys at all: embedded SQLite on port 3000', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('file:./data/chatshop.db');
    expect(c.databaseProvider).toBe('sqlite');
    expect(c.PORT).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.SELLER_IDS).toEqual([]);
  });

  it('treats empty strings as missing', () => {
    expect(loadConfig({ ADMIN_TOKEN: '', PORT: '' }).ADMIN_TOKEN).toBeUndefined();
  });

  it('names the key of a bad value, never the value', () => {
    const bad = () => loadConfig({ PORT: 'eighty', ADMIN_TOKEN: 'short-secret' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('ADMIN_TOKEN');
      expect(message).not.toContain('short-secret');
    }
  });

  it('refuses database URLs it cannot serve and half-configured channels', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DISCORD_TOKEN: 'abc' })).toThrow(/DISCORD_APPLICATION_ID/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_MODE: 'webhook' })).toThrow(/PUBLIC_URL/);
  });

  it('syncs SQLite at every commit unless told normal, and refuses other modes', () => {
    expect(loadConfig({}).SQLITE_SYNCHRONOUS).toBe('full');
    expect(loadConfig({ SQLITE_SYNCHRONOUS: 'normal' }).SQLITE_SYNCHRONOUS).toBe('normal');
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' })).toThrow(/SQLITE_SYNCHRONOUS/);
  });

  it('parses seller identities', () => {
    expect(loadConfig({ SELLER_IDS: 'telegram:123, discord:456' }).SELLER_IDS).toEqual([
      { channel: 'telegram', externalId: '123' },
      { channel: 'discord', externalId: '456' },
    ]);
    expect(() => loadConfig({ SELLER_IDS: 'icq:1' })).toThrow(/SELLER_IDS/);
  });
});
