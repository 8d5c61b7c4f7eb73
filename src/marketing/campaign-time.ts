/**
 * Dates a seller says ("until Friday") are days in the store's time zone.
 * These turn them into instants without a time-zone library (Intl knows the rules).
 */
const DAY_MS = 86_400_000;

function parts(at: Date, timeZone: string) {
  const p = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'long',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => p.find((x) => x.type === type)?.value ?? '';
  return {
    y: Number(get('year')),
    m: Number(get('month')),
    d: Number(get('day')),
    h: Number(get('hour')),
    min: Number(get('minute')),
    s: Number(get('second')),
    weekday: get('weekday'),
  };
}

/** How far the zone is ahead of UTC at this instant, in ms. */
function offsetMs(at: Date, timeZone: string): number {
  const x = parts(at, timeZone);
  return Date.UTC(x.y, x.m - 1, x.d, x.h, x.min, x.s) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local day starts (00:00 in the zone; DST-safe to the hour). */
export function startOfLocalDay(date: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(utc);
  if (check.getUTCFullYear() !== Number(m[1]) || check.getUTCMonth() !== Number(m[2]) - 1 || check.getUTCDate() !== Number(m[3]))
    return null;
  let t = utc;
  for (let i = 0; i < 2; i++) t = utc - offsetMs(new Date(t), timeZone);
  return new Date(t);
}

/** "until 2026-11-27" means the whole of that day in the zone: the end is the next day's start. */
export function endOfLocalDay(date: string, timeZone: string): Date | null {
  const start = startOfLocalDay(date, timeZone);
  if (!start) return null;
  const next = new Date(start.getTime() + DAY_MS + 3 * 3_600_000); // safely inside the next day, across DST
  const p = parts(next, timeZone);
  return startOfLocalDay(`${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`, timeZone);
}

/** Today in the zone as the model needs it: "Thursday 2026-11-26 19:05". */
export function localNow(now: Date, timeZone: string): { date: string; weekday: string; time: string } {
  const p = parts(now, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.y}-${pad(p.m)}-${pad(p.d)}`, weekday: p.weekday, time: `${pad(p.h)}:${pad(p.min)}` };
}

/** An instant as the seller reads it: "2026-11-28 00:00 Europe/Berlin". */
export function formatLocal(at: Date, timeZone: string): string {
  const n = localNow(at, timeZone);
  return `${n.date} ${n.time} ${timeZone}`;
}
