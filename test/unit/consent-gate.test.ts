import { describe, expect, it } from 'vitest';
import { gate, isTimeZone, localMinutes, parseTimeOfDay, type ConsentState, type StoreMessagingRules } from '../../src/marketing/consent-gate.ts';

const subscribed: ConsentState = { status: 'subscribed', unreachable: false, timeZone: 'Europe/Berlin' };
const rules: StoreMessagingRules = { quietHours: { start: 22 * 60, end: 8 * 60 }, timeZone: 'UTC', frequencyCap: { max: 3, perHours: 24 } };
// 12:00 UTC = 13:00 in Berlin (winter time).
const noon = new Date('2026-11-26T12:00:00Z');

describe('consent gate', () => {
  it('sends marketing only to subscribed, reachable customers', () => {
    expect(gate('marketing', subscribed, rules, 0, noon)).toEqual({ send: true });
    expect(gate('marketing', { ...subscribed, status: 'unknown' }, rules, 0, noon)).toEqual({ send: false, reason: 'NOT_SUBSCRIBED' });
    expect(gate('marketing', { ...subscribed, status: 'unsubscribed' }, rules, 0, noon)).toEqual({ send: false, reason: 'UNSUBSCRIBED' });
    expect(gate('marketing', { ...subscribed, unreachable: true }, rules, 0, noon)).toEqual({ send: false, reason: 'UNREACHABLE' });
  });

  it('lets order updates through without opt-in, but not to a blocked bot', () => {
    expect(gate('transactional', { ...subscribed, status: 'unsubscribed' }, rules, 99, noon)).toEqual({ send: true });
    expect(gate('transactional', { ...subscribed, unreachable: true }, rules, 0, noon)).toEqual({ send: false, reason: 'UNREACHABLE' });
  });

  it('holds to the frequency cap', () => {
    expect(gate('marketing', subscribed, rules, 2, noon).send).toBe(true);
    expect(gate('marketing', subscribed, rules, 3, noon)).toEqual({ send: false, reason: 'FREQUENCY_CAP' });
  });

  it('keeps quiet hours in the customer’s time zone and says when to try again', () => {
    // 22:30 UTC = 23:30 in Berlin: quiet until 08:00 Berlin = 07:00 UTC.
    const late = new Date('2026-11-26T22:30:00Z');
    expect(gate('marketing', subscribed, rules, 0, late)).toEqual({ send: false, reason: 'QUIET_HOURS', retryAt: new Date('2026-11-27T07:00:00Z') });
    // 21:30 UTC is 22:30 in Berlin (quiet) but 06:30 next day in Tokyo … also quiet; 13:30 UTC is 22:30 in Tokyo.
    expect(gate('marketing', { ...subscribed, timeZone: 'Asia/Tokyo' }, rules, 0, new Date('2026-11-26T13:30:00Z')).send).toBe(false);
    expect(gate('marketing', { ...subscribed, timeZone: 'Asia/Tokyo' }, rules, 0, new Date('2026-11-26T09:00:00Z')).send).toBe(true);
  });

  it('falls back to the store’s time zone for an unknown or invalid one', () => {
    const utcLate = new Date('2026-11-26T23:00:00Z');
    expect(gate('marketing', { ...subscribed, timeZone: null }, rules, 0, utcLate).send).toBe(false);
    expect(gate('marketing', { ...subscribed, timeZone: 'Mars/Olympus' }, rules, 0, utcLate).send).toBe(false);
    expect(gate('marketing', { ...subscribed, timeZone: null }, rules, 0, noon).send).toBe(true);
  });

  it('handles windows that do not wrap midnight, and none at all', () => {
    const lunch = { ...rules, quietHours: { start: 12 * 60, end: 14 * 60 } };
    expect(gate('marketing', { ...subscribed, timeZone: 'UTC' }, lunch, 0, noon)).toEqual({ send: false, reason: 'QUIET_HOURS', retryAt: new Date('2026-11-26T14:00:00Z') });
    expect(gate('marketing', subscribed, { ...rules, quietHours: null }, 0, new Date('2026-11-26T23:00:00Z')).send).toBe(true);
  });

  it('parses times of day and time zones strictly', () => {
    expect(parseTimeOfDay('22:00')).toBe(1320);
    expect(parseTimeOfDay('08:05')).toBe(485);
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('8pm')).toBeNull();
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Nowhere/Land')).toBe(false);
    expect(localMinutes(noon, 'Asia/Kolkata')).toBe(17 * 60 + 30);
  });
});
