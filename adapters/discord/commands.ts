import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { en } from '../../src/conversation/i18n/messages.en.ts';
import { zhCN } from '../../src/conversation/i18n/messages.zh-CN.ts';
import { MAX_REPORT_DAYS } from '../../src/analytics/sales-report.ts';
import { DEFAULT_STATS_DAYS } from './seller.ts';
import { LIMITS } from './limits.ts';
import { MARKABLE } from './staff.ts';

const text = en.discordCommands();
const zh = zhCN.discordCommands();
type Key = keyof typeof text;
const describe = (key: Key) => ({ description: text[key], description_localizations: { 'zh-CN': zh[key] } });
const contexts = [InteractionContextType.Guild, InteractionContextType.BotDM];

/** The slash commands the bot offers; `npm run discord:register` puts them on Discord (bulk overwrite). */
export function slashCommands(): RESTPutAPIApplicationCommandsJSONBody {
  const simple = (name: Key) => ({ name, type: ApplicationCommandType.ChatInput, contexts, ...describe(name) });
  return [
    simple('shop'),
    {
      ...simple('search'),
      options: [{ type: ApplicationCommandOptionType.String, name: 'query', required: true, max_length: 100, ...describe('searchQuery') }],
    },
    {
      ...simple('product'),
      options: [{ type: ApplicationCommandOptionType.String, name: 'name', required: true, autocomplete: true, max_length: 100, ...describe('productName') }],
    },
    simple('cart'),
    simple('checkout'),
    simple('orders'),
    simple('help'),
    simple('subscribe'),
    simple('stop'),
    simple('privacy'),
    simple('forgetme'),
    {
      name: 'staff',
      type: ApplicationCommandType.ChatInput,
      contexts,
      description: 'Shop staff: recent orders and order status',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'orders',
          description: 'Recent orders, with buttons to mark them fulfilled, shipped or delivered',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'status',
              description: 'Only orders in this status',
              choices: ['paid', ...MARKABLE].map((s) => ({ name: s, value: s })),
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'order',
          description: 'One order, with buttons to move it on, refund or cancel it',
          options: [{ type: ApplicationCommandOptionType.Integer, name: 'number', description: 'Order number', required: true, min_value: 1 }],
        },
      ],
    },
    {
      name: 'stock',
      type: ApplicationCommandType.ChatInput,
      contexts,
      description: 'Shop staff: set the stock on hand of a variant',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'sku', description: 'The variant SKU, e.g. MUG-CLASSIC', required: true, max_length: 64 },
        { type: ApplicationCommandOptionType.Integer, name: 'quantity', description: 'Units on hand', required: true, min_value: 0, max_value: 1_000_000 },
      ],
    },
    {
      name: 'stats',
      type: ApplicationCommandType.ChatInput,
      contexts,
      description: 'Shop staff: sales report (funnel, revenue, best sellers, refunds)',
      options: [{ type: ApplicationCommandOptionType.Integer, name: 'days', description: `Period in days (default ${DEFAULT_STATS_DAYS})`, min_value: 1, max_value: MAX_REPORT_DAYS }],
    },
    {
      name: 'drop',
      type: ApplicationCommandType.ChatInput,
      contexts: [InteractionContextType.Guild],
      description: 'Shop staff: post a product to a channel with a Buy button',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'product', description: 'The product', required: true, autocomplete: true, max_length: 100 },
        { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'Where to post it', required: true, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
      ],
    },
    {
      name: 'groupbuy',
      type: ApplicationCommandType.ChatInput,
      contexts: [InteractionContextType.Guild],
      description: 'Shop staff: post a group deal with a Join button; enough joiners by the deadline get the group price',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'product', description: 'Product slug or SKU', required: true, max_length: 100 },
        { type: ApplicationCommandOptionType.String, name: 'price', description: 'Group price, e.g. 9.90', required: true, max_length: 12 },
        { type: ApplicationCommandOptionType.Integer, name: 'people', description: 'People needed', required: true, min_value: 2, max_value: 1000 },
        { type: ApplicationCommandOptionType.String, name: 'duration', description: 'How long it runs, e.g. 6h or 2d', required: true, max_length: 6 },
        { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'Where to post it', required: true, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
      ],
    },
    ...marketingCommands(),
  ];
}

/** Staff: promo codes and broadcasts (answers only the seller sees). */
function marketingCommands(): RESTPutAPIApplicationCommandsJSONBody {
  const string = (name: string, description: string, extra: { required?: boolean; max_length?: number; autocomplete?: boolean } = {}) => ({ type: ApplicationCommandOptionType.String as const, name, description, ...extra });
  return [
    {
      name: 'promo',
      type: ApplicationCommandType.ChatInput,
      contexts,
      description: 'Shop staff: create a promo code, or switch one off',
      options: [
        string('line', 'e.g. WINTER20 20% on hoodies min 30 until 2026-12-31 limit 200 (or: off WINTER20)', { max_length: 300 }),
        string('off', 'A code to switch off, e.g. WINTER20', { max_length: 32 }),
      ],
    },
    { name: 'promos', type: ApplicationCommandType.ChatInput, contexts, description: 'Shop staff: the promo codes, their uses and limits' },
    {
      name: 'broadcast',
      type: ApplicationCommandType.ChatInput,
      contexts,
      description: 'Shop staff: an offer by message to subscribers; you see a preview first',
      options: [
        string('message', 'The text subscribers get', { required: true, max_length: LIMITS.content }),
        string('who', 'all (default), telegram, discord, bought:<product>, category:<slug>, spent>50, inactive:30, tag:vip', { max_length: 200 }),
        string('product', 'A product to add with its Buy button', { max_length: 100, autocomplete: true }),
        string('image', 'A picture: an https:// link', { max_length: 2000 }),
      ],
    },
    { name: 'broadcasts', type: ApplicationCommandType.ChatInput, contexts, description: 'Shop staff: recent broadcasts and their progress' },
    {
      name: 'campaign',
      type: ApplicationCommandType.ChatInput,
      contexts,
      description: 'Shop staff: a promo code with its announcement; you see a preview first',
      options: [string('text', "e.g. 20% off hoodies for last month's buyers until Friday (empty: step by step)", { max_length: 500 })],
    },
  ];
}
