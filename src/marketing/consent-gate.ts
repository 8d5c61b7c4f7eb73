/**
 * The gate every outbound marketing message passes (transactional messages,
 * such as order updates, need no opt-in but still respect a blocked bot).
 * Pure: the caller loads the customer's consent for the channel, the store's
 * rules and how many marketing messages the customer got recently.
 */

export type ConsentStatus = 'subscribed' | 'unsubscribed' | 'unknown';

export interface ConsentState {
  status: ConsentStatus;
  /** The platform refuses delivery: Telegram 403 (bot blocked), Discord 50007 (cannot DM). */
  unreachable: boolean;
  /** IANA time zone of the customer, when known ("Europe/Berlin"); quiet hours use the store's otherwise. */
  timeZone: string | null;
}

export interface QuietHours {
  /** Minutes after local midnight when quiet starts (22:00 → 1320) … */
  start: number;
  /** … and ends (08:00 → 480); may wrap past midnight. */
  end: number;
}

export interface StoreMessagingRules {
  quietHours: QuietHours | null;
  /** The store's time zone, for customers whose own is unknown. */
  timeZone: string;
  /** At most `max` marketing messages per customer in `perHours` hours. */
  frequencyCap: { max: number; perHours: number } | null;
}

export type GateDecision =
  | { send: true }
  | { send: false; reason: 'NOT_SUBSCRIBED' | 'UNSUBSCRIBED' | 'UNREACHABLE' | 'FREQUENCY_CAP' }
  | { send: false; reason: 'QUIET_HOURS'; retryAt: Date };

/** "22:00" → 1320; null for anything that is not a time of day. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m?.[1] && m[2] ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes after local midnight of `at` in `zone`. */
export function localMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const num = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return num('hour') * 60 + num('minute');
}

function inWindow(minute: number, q: QuietHours): boolean {
  if (q.start === q.end) return false;
  return q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end;
}

/**
 * Whether a message may go to this customer now. Quiet hours give the time
 * to try again (their end, local time; on a daylight-saving night it may be
 * an hour off, which only delays or advances a promotion by that hour).
 */
export function gate(kind: 'marketing' | 'transactional', consent: ConsentState, rules: StoreMessagingRules, recentMarketing: number, now: Date): GateDecision {
  if (consent.unreachable) return { send: false, reason: 'UNREACHABLE' };
  if (kind === 'transactional') return { send: true };
  if (consent.status === 'unsubscribed') return { send: false, reason: 'UNSUBSCRIBED' };
  if (consent.status !== 'subscribed') return { send: false, reason: 'NOT_SUBSCRIBED' };
  if (rules.frequencyCap && recentMarketing >= rules.frequencyCap.max) return { send: false, reason: 'FREQUENCY_CAP' };
  const q = rules.quietHours;
  if (q) {
    const zone = consent.timeZone && isTimeZone(consent.timeZone) ? consent.timeZone : rules.timeZone;
    const minute = localMinutes(now, zone);
    if (inWindow(minute, q)) {
      const wait = (q.end - minute + 1440) % 1440;
      const retryAt = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + wait * 60_000);
      return { send: false, reason: 'QUIET_HOURS', retryAt };
    }
  }
  return { send: true };
}
