import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIUser,
} from 'discord-api-types/v10';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { decodeAction, encodeAction } from '../../src/conversation/actions.ts';
import type { ConversationInput } from '../../src/conversation/conversation.types.ts';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import { nullIfNotFound, STAFF_PREFIX, type StaffDesk } from './staff.ts';
import { ADDRESS_MODAL, type CheckoutAddress } from './checkout-address.ts';
import { MARKETING_PREFIX } from './broadcast-views.ts';
import type { MarketingDesk } from './marketing-desk.ts';
import { noteOnCart, PROMO_MODAL, promoCodeCommand } from './promo-code.ts';
import { PICK_QUANTITY, PICK_VARIANT } from './components.ts';
import { identityOf, integerOption, PRIVATE_COMMANDS, stringOption, subcommand, userOf } from './input.ts';
import type { InteractionDeps } from './interactions.ts';
import { cut } from './limits.ts';
import { submittedValues } from './modals.ts';
import { renderReplies, type DiscordMessage } from './render.ts';
import { PICK_BUY, type SellerCommands } from './seller.ts';
import { StaffForms } from './staff-forms.ts';
import type { GroupDealDesk } from './group-deal-desk.ts';
import { GROUP_DEAL_PREFIX } from './group-deal-notifier.ts';

/** How an interaction is answered, and the work that produces the answer. */
export interface Plan {
  /** Only the user sees the answer. */
  ephemeral: boolean;
  /** Replace the (ephemeral) message the component sits on rather than send a new one. */
  update: boolean;
  run: () => Promise<DiscordMessage[]>;
}

export interface Planner {
  deps: InteractionDeps;
  staff: StaffDesk;
  forms: StaffForms;
  seller: SellerCommands;
  address: CheckoutAddress;
  marketing: MarketingDesk;
  /** Group buying: /groupbuy and the Join / Leave buttons (off when absent). */
  groupDeals?: GroupDealDesk | undefined;
}

type Actionable = Exclude<APIInteraction, { type: InteractionType.Ping | InteractionType.ApplicationCommandAutocomplete }>;
type Option = APIApplicationCommandInteractionDataOption;

/** Commands only staff may use; everything under them is refused and logged for anyone else. */
export const STAFF_COMMANDS: ReadonlySet<string> = new Set(['staff', 'stock', 'stats', 'drop', 'promo', 'promos', 'broadcast', 'broadcasts', 'groupbuy']);

const message = (text: string): DiscordMessage => ({ content: text, embeds: [], components: [], private: true });
const channelOption = (options: readonly Option[] | undefined, name: string) => {
  const o = options?.find((x) => x.name === name);
  return o?.type === ApplicationCommandOptionType.Channel ? o.value : undefined;
};
/** The member's role ids (signed by Discord with the interaction); none in DMs. */
export const rolesOf = (i: APIInteraction): readonly string[] => ('member' in i && i.member?.roles) || [];

/** Decides how one interaction is handled: an engine turn, a staff action, a drop, the address step. */
export function planFor(p: Planner, i: Actionable, t: Translator): Plan {
  const user = userOf(i);
  if (!user) return { ephemeral: true, update: false, run: () => Promise.resolve([message(t.m.error())]) };
  const identity = identityOf(i, user);
  const store = () => p.deps.catalog.store(p.deps.store);
  const turn = (input: Pick<ConversationInput, 'action' | 'command' | 'text'>) => async () =>
    renderReplies(await p.deps.conversation.handle({ store: p.deps.store, channel: 'discord', identity, ...input }), t);
  const staffOnly = (attempted: string, run: (s: StoreRecord) => Promise<DiscordMessage | null>, update = false): Plan =>
    p.staff.isStaff(user.id, rolesOf(i))
      ? { ephemeral: true, update, run: async () => [(await run(await store())) ?? message(t.m.staleButton())] }
      : { ephemeral: true, update: false, run: () => Promise.resolve([p.staff.refuse(user.id, attempted)]) };
  // Checkout of physical goods asks for the shipping address first.
  const checkout = (update: boolean, engineTurn: () => Promise<DiscordMessage[]>): Plan => ({
    ephemeral: true,
    update,
    run: async () => {
      const step = await p.address.step(await store(), identity);
      return step ? [step] : engineTurn();
    },
  });

  switch (i.type) {
    case InteractionType.ApplicationCommand: {
      if (i.data.type !== ApplicationCommandType.ChatInput) return { ephemeral: true, update: false, run: turn({ command: { name: 'help', args: '' } }) };
      const { name, options } = i.data;
      if (STAFF_COMMANDS.has(name)) return staffCommand(p, user, name, options, staffOnly);
      if (name === 'checkout') return checkout(false, turn({ command: { name, args: '' } }));
      const ephemeral = PRIVATE_COMMANDS.has(name);
      if (name === 'product') {
        const wanted = stringOption(options, 'name') ?? '';
        return { ephemeral, update: false, run: async () => turn(await productInput(p, wanted))() };
      }
      const args = name === 'search' ? (stringOption(options, 'query') ?? '') : '';
      return { ephemeral, update: false, run: turn({ command: { name, args } }) };
    }
    case InteractionType.MessageComponent: {
      // Components on a public message (search results, drops) answer the presser privately; on their own ephemeral message, in place.
      const update = ((i.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      const id = i.data.custom_id;
      if (id.startsWith(STAFF_PREFIX)) return staffOnly(`button ${cut(id, 40)}`, (s) => p.staff.button(s, user.id, id), update);
      if (id.startsWith(MARKETING_PREFIX)) return staffOnly(`button ${cut(id, 40)}`, (s) => p.marketing.button(s, user.id, id), update);
      // Join / Leave under a group deal: anyone, answered only to them.
      const deals = p.groupDeals;
      if (id.startsWith(GROUP_DEAL_PREFIX) && deals) return { ephemeral: true, update: false, run: async () => [await deals.button(await store(), { id: user.id, locale: i.locale }, id, t)] };
      const picks = [PICK_VARIANT, PICK_QUANTITY, PICK_BUY];
      const picked = i.data.component_type === ComponentType.StringSelect && picks.includes(id) ? i.data.values[0] : undefined;
      const action = picked ?? id;
      if (decodeAction(action)?.op === 'checkout') return checkout(update, turn({ action }));
      // Anything else (forged, stale) goes to the engine as is: it answers politely with the menu.
      return { ephemeral: true, update, run: turn({ action }) };
    }
    case InteractionType.ModalSubmit: {
      const id = i.data.custom_id;
      const values = submittedValues(i.data);
      if (StaffForms.isModal(id)) return staffOnly(`form ${cut(id, 40)}`, (s) => p.forms.submit(s, user.id, id, values));
      // The cart's promo-code form: the engine applies the code or says why not, in the shopper's language.
      if (id === PROMO_MODAL) return { ephemeral: true, update: false, run: async () => noteOnCart(await turn({ command: promoCodeCommand(values) })()) };
      if (id === ADDRESS_MODAL) {
        return {
          ephemeral: true,
          update: false,
          run: async () => {
            const r = await p.address.submit(await store(), identity, values);
            if ('problem' in r) return [r.problem];
            const [first, ...rest] = await turn({ command: { name: 'checkout', args: '' } })();
            const shipping = `Shipping to: ${r.saved}`;
            return first ? [{ ...first, content: [shipping, first.content].filter(Boolean).join('\n\n') }, ...rest] : [message(shipping)];
          },
        };
      }
      return { ephemeral: true, update: false, run: turn({ action: id }) };
    }
  }
}

function staffCommand(
  p: Planner,
  user: APIUser,
  name: string,
  options: readonly Option[] | undefined,
  staffOnly: (attempted: string, run: (s: StoreRecord) => Promise<DiscordMessage | null>) => Plan,
): Plan {
  switch (name) {
    case 'stock':
      return staffOnly('/stock', (s) => p.seller.stock(s, stringOption(options, 'sku'), integerOption(options, 'quantity'), user.id));
    case 'stats':
      return staffOnly('/stats', (s) => p.seller.stats(s, integerOption(options, 'days')));
    case 'drop':
      return staffOnly('/drop', (s) => p.seller.drop(s, stringOption(options, 'product'), channelOption(options, 'channel')));
    case 'promo':
      return staffOnly('/promo', (s) => p.marketing.promo(s, stringOption(options, 'line'), stringOption(options, 'off'), user.id));
    case 'promos':
      return staffOnly('/promos', (s) => p.marketing.promos(s));
    case 'broadcast': {
      const [who, message, product, image] = ['who', 'message', 'product', 'image'].map((n) => stringOption(options, n));
      return staffOnly('/broadcast', (s) => p.marketing.compose(s, { who, message, product, image }, user.id));
    }
    case 'broadcasts':
      return staffOnly('/broadcasts', (s) => p.marketing.broadcasts(s));
    case 'groupbuy': {
      const deals = p.groupDeals;
      const [product, price, duration] = ['product', 'price', 'duration'].map((n) => stringOption(options, n));
      const o = { product, price, duration, people: integerOption(options, 'people'), channel: channelOption(options, 'channel') };
      return staffOnly('/groupbuy', (s) => (deals ? deals.command(s, user.id, o) : Promise.resolve(message('Group deals are not available.'))));
    }
    default: {
      const sub = subcommand(options);
      return staffOnly(`/staff ${sub?.name ?? ''}`, (s) => (sub?.name === 'order' ? p.staff.show(s, integerOption(sub.options, 'number') ?? 0) : p.staff.list(s, stringOption(sub?.options, 'status'))));
    }
  }
}

/** `/product <name>`: the product by slug (autocomplete) or the best match, else a search. */
async function productInput(p: Planner, wanted: string): Promise<Pick<ConversationInput, 'action' | 'command'>> {
  const store = await p.deps.catalog.store(p.deps.store);
  const bySlug = await p.deps.catalog.product(store.id, wanted).catch(nullIfNotFound);
  const product = bySlug ?? (await p.deps.search.products({ storeId: store.id, q: wanted, sort: 'relevance', limit: 1, statuses: ['active'] })).items[0];
  return product ? { action: encodeAction({ op: 'product', id: product.id }) } : { command: { name: 'search', args: wanted } };
}
