import { createHmac, timingSafeEqual } from 'node:crypto';
import { compactUuid, expandUuid } from '../../src/shared/ids.ts';

/**
 * Deep-link payloads that carry credit (campaigns, referrals) are signed, so
 * a shopper cannot mint credit for someone else. A payload is
 * "<kind>-<field>[-<field>]-<sig>": kind g (campaign) or r (referral), fields
 * of [A-Za-z0-9_], and the first 12 characters of the base64url HMAC-SHA256
 * of everything before it (72 bits) — all within Telegram's 64 characters of
 * [A-Za-z0-9_-].
 *
 *   g-<campaign>[-<product id>]-<sig>       campaign, optionally opening a product
 *   r-<referrer id, base 36>[-<product id>]-<sig>   referral (inline shares carry one)
 *
 * A product id that is a UUID (catalog imports create them; 36 characters
 * with dashes) is written "_" and its 22-character compact form (shared/ids.ts).
 */
export type Attribution =
  | { kind: 'campaign'; campaign: string; productId?: string | undefined }
  | { kind: 'referral'; referrer: string; productId?: string | undefined };

export type SignedPayload = { ok: true; attribution: Attribution } | { ok: false; reason: string };

const MAX_PAYLOAD = 64;
const SIG_LENGTH = 12;
const CAMPAIGN = /^[A-Za-z0-9_]{1,20}$/;
const PRODUCT = /^[A-Za-z0-9_]{1,32}$/;
const REFERRER = /^[0-9a-z]{1,11}$/;

export interface LinkSigner {
  /** The signed payload for an attribution; throws when it cannot fit Telegram's limit. */
  encode(a: Attribution): string;
  /** null when the payload is not a signed kind (p_…, c_…, anything else). */
  decode(payload: string): SignedPayload | null;
}

/** Signs with a key derived from the server secret (LINK_SECRET, or derived from the bot token). */
export function linkSigner(secret: string): LinkSigner {
  if (secret.length < 16) throw new Error('the deep-link secret must be at least 16 characters');
  const key = createHmac('sha256', secret).update('chatshop deep links v1').digest();
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url').slice(0, SIG_LENGTH);

  return {
    encode(a) {
      const fields = a.kind === 'campaign' ? ['g', a.campaign] : ['r', a.referrer];
      if (a.kind === 'campaign' && !CAMPAIGN.test(a.campaign)) throw new Error('a campaign code is 1-20 characters of A-Z a-z 0-9 _');
      if (a.kind === 'referral' && !(/^\d{1,16}$/.test(a.referrer) && Number.isSafeInteger(Number(a.referrer)))) throw new Error('a referrer is a numeric Telegram user id');
      if (a.kind === 'referral') fields[1] = BigInt(a.referrer).toString(36);
      if (a.productId !== undefined) {
        const compact = compactUuid(a.productId);
        const field = compact ? `_${compact}` : a.productId;
        if (!PRODUCT.test(field)) throw new Error('a product id in a deep link is a UUID or 1-32 characters of A-Z a-z 0-9 _');
        fields.push(field);
      }
      const body = fields.join('-');
      const payload = `${body}-${sign(body)}`;
      if (payload.length > MAX_PAYLOAD) throw new Error(`the deep-link payload would be ${payload.length} characters; Telegram allows ${MAX_PAYLOAD}`);
      return payload;
    },

    decode(payload) {
      if (!/^[gr]-/.test(payload)) return null;
      if (payload.length > MAX_PAYLOAD || payload.length < SIG_LENGTH + 4 || payload.at(-SIG_LENGTH - 1) !== '-') return { ok: false, reason: 'malformed' };
      const body = payload.slice(0, -SIG_LENGTH - 1);
      const sig = Buffer.from(payload.slice(-SIG_LENGTH));
      if (!timingSafeEqual(sig, Buffer.from(sign(body)))) return { ok: false, reason: 'bad signature' };
      const [kind, first, field, ...rest] = body.split('-');
      const productId = field?.startsWith('_') ? (expandUuid(field.slice(1)) ?? undefined) : field;
      if (!first || rest.length || (field !== undefined && (productId === undefined || !PRODUCT.test(field)))) return { ok: false, reason: 'malformed' };
      if (kind === 'g' && CAMPAIGN.test(first)) return { ok: true, attribution: { kind: 'campaign', campaign: first, productId } };
      if (kind === 'r' && REFERRER.test(first)) return { ok: true, attribution: { kind: 'referral', referrer: parseInt(first, 36).toString(), productId } };
      return { ok: false, reason: 'malformed' };
    },
  };
}
