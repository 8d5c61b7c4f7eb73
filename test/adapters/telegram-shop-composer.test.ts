import { Api, Composer, Context, type MiddlewareFn } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShopComposer } from '../../adapters/telegram/shop-composer.ts';
import { botIdentity } from '../fakes/telegram-bot-api.ts';

const me: UserFromGetMe = botIdentity(1, 'shop_bot');
const from = { id: 7, is_bot: false, first_name: 'Ann' };
const chat = { id: 7, type: 'private' as const, first_name: 'Ann' };
const text = (t: string, id: number): Update => ({
  update_id: id,
  message: {
    message_id: id,
    date: 0,
    chat,
    from,
    text: t,
    ...(t.startsWith('/') && { entities: [{ type: 'bot_command' as const, offset: 0, length: t.split(' ')[0]?.length ?? 0 }] }),
  },
});
const tap = (data: string, id: number): Update => ({
  update_id: id,
  callback_query: { id: String(id), from, chat_instance: 'c', data, message: { message_id: 1, date: 0, chat, text: 'menu' } },
});

/** The same handlers on a composer: what ran for each update, with the match where there is one. */
function wire(c: Composer<Context>, seen: string[]) {
  c.command('start', (ctx) => void seen.push(`start:${ctx.match}`));
  // Registered now, extended below: what is added to a filter's composer later counts.
  const later = c.callbackQuery(/^add:(\w+)$/);
  c.on('message:text', async (ctx, next) => {
    if (ctx.msg.text === 'pass') return next();
    seen.push(`text:${ctx.msg.text}`);
  });
  // An async predicate with two middleware, then a branch with an array on one side.
  c.filter(
    async (ctx) => Promise.resolve(ctx.msg?.text === 'pass'),
    (_ctx, next) => (seen.push('pass-1'), next()),
    () => void seen.push('pass-2'),
  );
  c.branch(
    (ctx) => Boolean(ctx.callbackQuery),
    () => void seen.push('other-button'),
    [(_ctx, next) => (seen.push('nothing'), next())],
  );
  later.use((ctx) => void seen.push(`add:${String(ctx.match[1])}`));
}

async function run(c: Composer<Context>, updates: Update[], seen: string[]) {
  const api = new Api('1:test');
  for (const u of updates) await c.middleware()(new Context(u, api, me), () => Promise.resolve(void seen.push('fell-through')));
}

describe("ShopComposer: grammY's filters, decided in place", () => {
  afterEach(() => vi.restoreAllMocks());
  const updates = [text('/start abc', 1), text('hello', 2), text('pass', 3), tap('add:mug', 4), tap('menu', 5), { update_id: 6 } as Update];

  it("routes every update exactly as grammY's own Composer does", async () => {
    const theirs: string[] = [];
    const ours: string[] = [];
    const plain = new Composer<Context>();
    wire(plain, theirs);
    const shop = new ShopComposer<Context>();
    wire(shop, ours);
    await run(plain, updates, theirs);
    await run(shop, updates, ours);
    expect(ours).toEqual(['start:abc', 'text:hello', 'pass-1', 'pass-2', 'add:mug', 'other-button', 'nothing', 'fell-through']);
    expect(ours).toEqual(theirs);
  });

  it('builds no composer per update, where grammY builds one at every filter', async () => {
    /** Distinct composers asked for their chain while `updates` are handled twice: new ones the second time were built for it. */
    const composersBuilt = async (c: Composer<Context>) => {
      const asked = new Set<unknown>();
      const middleware = Reflect.get(Composer.prototype, 'middleware') as (this: Composer<Context>) => MiddlewareFn<Context>;
      const spy = vi.spyOn(Composer.prototype, 'middleware').mockImplementation(function (this: Composer<Context>) {
        asked.add(this);
        return middleware.call(this);
      });
      await run(c, updates, []);
      const once = asked.size;
      await run(c, updates, []);
      spy.mockRestore();
      return asked.size - once;
    };
    const shop = new ShopComposer<Context>();
    wire(shop, []);
    expect(await composersBuilt(shop)).toBe(0);
    const plain = new Composer<Context>();
    wire(plain, []);
    expect(await composersBuilt(plain)).toBeGreaterThan(updates.length);
  });

  it('passes an error from a predicate or a handler on to the caller', async () => {
    const shop = new ShopComposer<Context>();
    shop.filter(() => {
      throw new Error('predicate broke');
    });
    await expect(run(shop, [text('hi', 1)], [])).rejects.toThrow('predicate broke');
    const async = new ShopComposer<Context>();
    async.on('message', () => Promise.reject(new Error('handler broke')));
    await expect(run(async, [text('hi', 1)], [])).rejects.toThrow('handler broke');
  });
});
