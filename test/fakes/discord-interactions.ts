import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GUILD_CHANNEL_ID, GUILD_ID } from './discord-api.ts';

export const APP_ID = '700000000000000001';

/** A fresh Ed25519 key pair, the public key as the 64 hex characters Discord shows. */
export function testKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return { publicHex, privateKey };
}

/** Headers Discord sends: Ed25519 over timestamp + body. */
export function signedHeaders(privateKey: KeyObject, body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
}

let seq = 0;

/** Interaction payloads shaped like Discord's (v10), from a server channel unless `dm`. */
export function interactionBase(userId: string, opts: { dm?: boolean; locale?: string; roles?: string[] } = {}) {
  const n = ++seq;
  const user = { id: userId, username: `user${userId.slice(-3)}`, global_name: null, discriminator: '0', avatar: null };
  const where = opts.dm
    ? { channel_id: `dm-${userId}`, channel: { id: `dm-${userId}`, type: 1 }, user, context: 1 }
    : { guild_id: GUILD_ID, channel_id: GUILD_CHANNEL_ID, channel: { id: GUILD_CHANNEL_ID, type: 0 }, guild_locale: 'en-US', member: { user, roles: opts.roles ?? [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }, context: 0 };
  return { id: String(1_100_000_000_000_000 + n * 7919), application_id: APP_ID, token: `itoken-${n}`, version: 1, locale: opts.locale ?? 'en-US', app_permissions: '0', entitlements: [], authorizing_integration_owners: {}, ...where };
}

export function slash(userId: string, name: string, options?: unknown[], opts?: { dm?: boolean; locale?: string; roles?: string[] }) {
  return { ...interactionBase(userId, opts), type: 2, data: { id: `cmd-${name}`, name, type: 1, ...(options && { options }) } };
}

/** A press on a button or a choice in a select menu; `message` is the message it sits on (its embeds, e.g. a form's echo). */
export function buttonClick(userId: string, customId: string, opts: { ephemeral?: boolean; values?: string[]; roles?: string[]; message?: { content?: string; embeds?: unknown[] } } = {}) {
  return {
    ...interactionBase(userId, { roles: opts.roles }),
    type: 3,
    message: { id: 'msg-1', channel_id: GUILD_CHANNEL_ID, flags: opts.ephemeral ? 64 : 0, content: '', embeds: [], components: [], ...opts.message },
    data: { custom_id: customId, component_type: opts.values ? 3 : 2, ...(opts.values && { values: opts.values }) },
  };
}

export function autocomplete(userId: string, name: string, option: string, value: string) {
  return { ...interactionBase(userId), type: 4, data: { id: `cmd-${name}`, name, type: 1, options: [{ type: 3, name: option, value, focused: true }] } };
}

/** A submitted modal, its text inputs in label components as Discord sends them. */
export function modalSubmit(userId: string, customId: string, values: Record<string, string>, opts: { roles?: string[] } = {}) {
  return {
    ...interactionBase(userId, { roles: opts.roles }),
    type: 5,
    data: { custom_id: customId, components: Object.entries(values).map(([id, value], n) => ({ type: 18, id: n + 1, component: { type: 4, id: n + 10, custom_id: id, value } })) },
  };
}
