import { randomBytes } from 'node:crypto';
import type { CampaignDraft } from './campaign.ts';
import type { WizardState } from './campaign-wizard.ts';

/** Who a session belongs to: a platform user id (Telegram numbers, Discord snowflake strings). */
export type SessionOwner = string | number;

export type CampaignSessionBody = { kind: 'wizard'; wizard: WizardState } | { kind: 'draft'; draft: CampaignDraft };

/** A campaign in the making for one staff member: wizard steps, or a previewed draft awaiting Confirm. */
export type CampaignSession<Owner extends SessionOwner = SessionOwner> = { owner: Owner; expires: number } & CampaignSessionBody;

const TTL_MS = 30 * 60_000;
const MAX_SESSIONS = 1000;
const ID = /^[0-9a-f]{12}$/;

/**
 * Campaign drafts and wizards in memory, by a random id that the buttons
 * carry, each bound to the staff member who started it and forgotten after
 * 30 minutes. Channel-neutral (Telegram and Discord each keep one).
 * Table-free on purpose: a draft is seconds to minutes of a seller's
 * attention, worth nothing after a restart (the seller sees "expired" and
 * starts again), and nothing about it is committed until Confirm, when the
 * promotion and broadcast are written in the database. `take` removes the
 * session synchronously, so of two Confirm presses only one finds it.
 */
export class CampaignSessions<Owner extends SessionOwner = SessionOwner> {
  private readonly sessions = new Map<string, CampaignSession<Owner>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A string that could be a session id (what buttons may carry). */
  static isId(id: string): boolean {
    return ID.test(id);
  }

  /** Starts a session (replacing this owner's other ones, so one wizard awaits their text). */
  put(owner: Owner, body: CampaignSessionBody, id = newId()): string {
    this.sweep();
    for (const [k, s] of this.sessions) if (s.owner === owner) this.sessions.delete(k);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value ?? '');
    this.sessions.set(id, { ...body, owner, expires: this.now() + TTL_MS });
    return id;
  }

  /** The live session of this id, only for its owner. */
  get(id: string, owner: Owner): CampaignSession<Owner> | null {
    const s = this.sessions.get(id);
    if (!s || s.expires <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return s.owner === owner ? s : null;
  }

  /** Removes and returns it: a second tap on Confirm finds nothing. */
  take(id: string, owner: Owner): CampaignSession<Owner> | null {
    const s = this.get(id, owner);
    if (s) this.sessions.delete(id);
    return s;
  }

  /** The owner's wizard waiting for the typed announcement. */
  awaitingText(owner: Owner): { id: string; wizard: WizardState } | null {
    for (const [id, s] of this.sessions) {
      if (s.owner === owner && s.kind === 'wizard' && s.wizard.step === 'text' && s.expires > this.now()) return { id, wizard: s.wizard };
    }
    return null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expires <= now) this.sessions.delete(k);
  }
}

/** 12 hex characters (48 random bits): unguessable, and short enough for callback data and custom ids. */
const newId = () => randomBytes(6).toString('hex');
