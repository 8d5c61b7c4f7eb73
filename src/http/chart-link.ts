import { createHmac } from 'node:crypto';
import { safeEqual } from '../shared/ids.ts';

/** How long a chart link sent into a chat stays valid. */
export const CHART_LINK_TTL_MS = 15 * 60_000;

const sign = (secret: string, store: string, days: number, exp: number) =>
  createHmac('sha256', secret).update(`chatshop chart v1|${store}|${days}|${exp}`).digest('base64url').slice(0, 22);

/**
 * A link to the stats chart that works without a bearer token for a short
 * while, for chat platforms that show images by URL (Discord embeds). It
 * names the store and period and expires; anything changed breaks the signature.
 */
export function chartLink(secret: string, publicUrl: string, store: string, days: number, now: Date): string {
  const exp = Math.floor((now.getTime() + CHART_LINK_TTL_MS) / 1000);
  return `${publicUrl}/api/v1/stores/${encodeURIComponent(store)}/stats/chart.png?days=${days}&exp=${exp}&sig=${sign(secret, store, days, exp)}`;
}

export function validChartLink(secret: string, store: string, days: number, exp: string | undefined, sig: string | undefined, now: Date): boolean {
  if (!exp || !sig || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < now.getTime()) return false;
  return safeEqual(sig, sign(secret, store, days, Number(exp)));
}
