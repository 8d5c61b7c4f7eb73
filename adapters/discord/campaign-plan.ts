import {
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  MessageFlags,
  type APIInteraction,
  type APIUser,
} from 'discord-api-types/v10';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { CampaignDesk } from './campaign-desk.ts';
import { CAMPAIGN_PREFIX, note } from './campaign-views.ts';
import { stringOption, userOf } from './input.ts';
import { cut } from './limits.ts';
import { submittedValues } from './modals.ts';
import { rolesOf, type Plan } from './plans.ts';
import type { DiscordMessage } from './render.ts';
import type { StaffDesk } from './staff.ts';

type Actionable = Exclude<APIInteraction, { type: InteractionType.Ping | InteractionType.ApplicationCommandAutocomplete }>;

/** Whether this interaction is /campaign or one of its buttons, menus or forms. */
export function isCampaign(i: Actionable): boolean {
  switch (i.type) {
    case InteractionType.ApplicationCommand:
      return i.data.type === ApplicationCommandType.ChatInput && i.data.name === 'campaign';
    case InteractionType.MessageComponent:
    case InteractionType.ModalSubmit:
      return i.data.custom_id.startsWith(CAMPAIGN_PREFIX);
  }
}

/**
 * How /campaign and its components are answered: only to the staff member
 * (ephemeral), their wizard and preview edited in place; anyone else is
 * refused and the attempt logged, as for the other seller commands. Slow work
 * (the model, Confirm) is deferred by the interaction handler like any plan.
 * Null: not a campaign interaction.
 */
export function campaignPlan(desk: CampaignDesk | undefined, staff: StaffDesk, i: Actionable, store: () => Promise<StoreRecord>): Plan | null {
  const user = userOf(i);
  if (!user || !isCampaign(i)) return null;
  const only = (attempted: string, run: (d: CampaignDesk, u: APIUser) => Promise<DiscordMessage>, update = false): Plan => {
    if (!staff.isStaff(user.id, rolesOf(i))) return { ephemeral: true, update: false, run: () => Promise.resolve([staff.refuse(user.id, attempted)]) };
    if (!desk) return { ephemeral: true, update: false, run: () => Promise.resolve([note('Campaigns are not available.')]) };
    return { ephemeral: true, update, run: async () => [await run(desk, user)] };
  };
  switch (i.type) {
    case InteractionType.ApplicationCommand: {
      const sentence = i.data.type === ApplicationCommandType.ChatInput ? stringOption(i.data.options, 'text') : undefined;
      return only('/campaign', async (d, u) => d.start(await store(), u.id, sentence));
    }
    case InteractionType.MessageComponent: {
      const id = i.data.custom_id;
      const update = ((i.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      const values = i.data.component_type === ComponentType.StringSelect ? i.data.values : [];
      return only(`button ${cut(id, 40)}`, (d, u) => d.button(store, u.id, id, values), update);
    }
    case InteractionType.ModalSubmit: {
      const id = i.data.custom_id;
      const values = submittedValues(i.data);
      return only(`form ${cut(id, 40)}`, async (d, u) => d.submit(await store(), u.id, id, values));
    }
  }
  return null;
}
