export const channels = ['telegram', 'discord', 'web', 'api'] as const;
export type Channel = (typeof channels)[number];

export interface IdentityRecord {
  id: string;
  channel: string;
  externalUserId: string;
  chatId: string | null;
  username: string | null;
  locale: string | null;
  unreachableAt: Date | null;
}

export interface CustomerRecord {
  id: string;
  storeId: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  createdAt: Date;
  identities: IdentityRecord[];
}

export interface CustomerInput {
  displayName?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  locale?: string | null | undefined;
}

export interface IdentityInput {
  channel: Channel;
  externalUserId: string;
  chatId?: string | null | undefined;
  username?: string | null | undefined;
  locale?: string | null | undefined;
}
