/**
 * The fake Bot API in a process of its own, for benchmarks that measure the
 * client side (telegram-client.bench.ts): sends { apiRoot } once it listens.
 * It keeps no record of calls, so a long run does not grow its memory.
 */
import { FakeTelegramApi } from '../../test/fakes/telegram-bot-api.ts';
import { TOKEN } from './telegram-bench-spec.ts';

const fake = await FakeTelegramApi.start({ token: TOKEN });
fake.onCall(() => void fake.calls.splice(0));
process.send?.({ apiRoot: fake.apiRoot });
