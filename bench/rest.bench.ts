/**
 * REST benchmark: product list, search, add to cart and checkout through the
 * real HTTP server, on SQLite always and on PostgreSQL when TEST_DATABASE_URL
 * is set (a fresh schema, dropped afterwards).
 *
 *   npx tsx bench/rest.bench.ts        (npm run bench)
 *
 * Each database gets a fresh migrated database with the demo store plus
 * EXTRA_PRODUCTS generated products (stock enough for every checkout). The
 * server listens on 127.0.0.1 (port chosen by the OS); CLIENTS clients in a
 * separate Node process each keep one request in flight (a closed loop), so
 * latency includes queueing behind the other clients. Every scenario runs a
 * short untimed warm-up, then at most SCENARIO_MS or its request budget.
 *
 * Targets, for a 2-core machine running server, clients and database
 * together, with 16 requests in flight: p99 latency, and no failed request.
 *
 *   product list  (GET  /products?limit=20)            p99 <=  50 ms
 *   search        (GET  /products?q=…, rotated)        p99 <=  50 ms
 *   add to cart   (POST /carts/:id/items)              p99 <=  50 ms
 *   checkout      (POST /carts/:id/checkout)           p99 <= 150 ms
 *
 * The same targets hold on PostgreSQL: a shopper does not care which database
 * is underneath. A miss is reported (MISS), it does not fail the process.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_STORE, seedDemoStore } from '../src/catalog/demo-store.ts';
import type { StoreRecord } from '../src/catalog/catalog.types.ts';
import { databases, type DbKind } from '../test/helpers/test-app.ts';
import { benchProducts, seedBenchProducts } from './lib/bench-catalog.ts';
import { startBenchServer, type BenchServer } from './lib/bench-server.ts';
import { runLoad } from './lib/load.ts';
import type { BenchRequest } from './lib/load-spec.ts';
import { formatTable, passes, toRow, type Row, type Target } from './lib/report.ts';

const TARGETS = {
  list: { p99Ms: 50 },
  search: { p99Ms: 50 },
  addToCart: { p99Ms: 50 },
  checkout: { p99Ms: 150 },
} satisfies Record<string, Target>;

const CLIENTS = 16;
const SCENARIO_MS = 8_000;
/** Untimed requests per client before each scenario's clock starts. */
const WARMUP = 10;
/** Request budget per client for the read and add-to-cart scenarios (the time limit usually ends them first). */
const MAX_PER_CLIENT = 3_000;
/** Checkouts per client; each needs a cart prepared beforehand. */
const CHECKOUTS_PER_CLIENT = 50;
const EXTRA_PRODUCTS = 1_000;
/** Carts each add-to-cart client rotates over, and the SKUs it adds (so a cart holds at most this many lines). */
const CARTS_PER_CLIENT = 4;
const SKUS_PER_CLIENT = 5;

const base = `/api/v1/stores/${DEMO_STORE.slug}`;
const searches = [
  'q=hoodie&maxPrice=6000',
  'q=coffee%20mug',
  'q=organic%20cotton&sort=price_asc',
  'q=wool&category=accessories',
  'q=black&minPrice=2000&maxPrice=8000',
  'q=gift&limit=10',
];

function queues(build: (client: number, i: number) => BenchRequest, perClient: number): BenchRequest[][] {
  return Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: perClient }, (_, i) => build(c, i)));
}

/** Runs `fn` over `items`, `parallel` at a time. */
async function pool<T, R>(items: readonly T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

const log = (msg: string) => process.stdout.write(`${msg}\n`);

async function prepare(server: BenchServer, kind: DbKind): Promise<{ store: StoreRecord; skus: string[] }> {
  const { catalog } = server.testApp.container.services;
  const t = performance.now();
  await seedDemoStore(catalog);
  const store = await catalog.store(DEMO_STORE.slug);
  const skus = await seedBenchProducts(catalog, store, benchProducts(EXTRA_PRODUCTS), kind === 'sqlite' ? 1 : 8);
  log(`  seeded demo store + ${EXTRA_PRODUCTS} products in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const counts = await Promise.all(
    searches.map(async (q) => {
      const res = await fetch(`${server.baseUrl}${base}/products?${q}`);
      const body = (await res.json()) as { items?: unknown[]; nextCursor?: string | null };
      return `${decodeURIComponent(q)} → ${body.items?.length ?? res.status}${body.nextCursor ? '+' : ''}`;
    }),
  );
  log(`  search queries (page size, + = more pages): ${counts.join(' | ')}`);
  return { store, skus };
}

async function openCarts(server: BenchServer, store: StoreRecord, count: number, skuFor: (i: number) => string | null): Promise<string[]> {
  const { carts } = server.testApp.container.services;
  return pool(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const cart = await carts.open(store, { channel: 'api' });
      const sku = skuFor(i);
      if (sku) {
        const added = await carts.addItem(store.id, cart.id, sku, 1);
        if (!added.ok) throw new Error(`bench prep: add ${sku}: ${added.message}`);
      }
      return cart.id;
    },
  );
}

async function benchDatabase(kind: DbKind): Promise<Row[]> {
  log(`\n[${kind}] starting`);
  const server = await startBenchServer(kind);
  try {
    const { store, skus } = await prepare(server, kind);
    const sku = (i: number) => skus[i % skus.length] ?? 'MUG-CLASSIC';
    const rows: Row[] = [];
    const scenario = async (name: string, target: Target, q: BenchRequest[][]) => {
      const result = await runLoad({ baseUrl: server.baseUrl, queues: q, warmup: WARMUP, durationMs: SCENARIO_MS });
      const row = toRow(kind, name, result, target);
      rows.push(row);
      log(
        `  ${name}: ${row.requests} requests, p99 ${row.p99.toFixed(1)} ms, ${row.rps.toFixed(0)} req/s ${passes(row) ? 'PASS' : 'MISS'}`,
      );
    };

    await scenario(
      'product list',
      TARGETS.list,
      queues(() => ({ method: 'GET', path: `${base}/products?limit=20` }), MAX_PER_CLIENT),
    );

    await scenario(
      'search',
      TARGETS.search,
      queues((c, i) => ({ method: 'GET', path: `${base}/products?${searches[(c + i) % searches.length] ?? ''}` }), MAX_PER_CLIENT),
    );

    // Each client rotates over its own carts and its own few SKUs: carts stay small, as real ones do.
    const addCarts = await openCarts(server, store, CLIENTS * CARTS_PER_CLIENT, () => null);
    await scenario(
      'add to cart',
      TARGETS.addToCart,
      queues(
        (c, i) => ({
          method: 'POST',
          path: `${base}/carts/${addCarts[c * CARTS_PER_CLIENT + (i % CARTS_PER_CLIENT)] ?? ''}/items`,
          body: JSON.stringify({ sku: sku(c * SKUS_PER_CLIENT + (Math.floor(i / CARTS_PER_CLIENT) % SKUS_PER_CLIENT)), quantity: 1 }),
        }),
        MAX_PER_CLIENT,
      ),
    );

    // One fresh one-item cart per checkout, made before the clock starts; SKUs spread so buyers rarely share a stock row.
    const perClient = WARMUP + CHECKOUTS_PER_CLIENT;
    const t = performance.now();
    const checkoutCarts = await openCarts(server, store, CLIENTS * perClient, (i) => sku(i * 7));
    log(`  prepared ${checkoutCarts.length} checkout carts in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await scenario(
      'checkout',
      TARGETS.checkout,
      queues(
        (c, i) => ({
          method: 'POST',
          path: `${base}/carts/${checkoutCarts[c * perClient + i] ?? ''}/checkout`,
          headers: { 'idempotency-key': `bench-${randomUUID()}` },
          body: JSON.stringify({ email: 'bench@example.com' }),
        }),
        perClient,
      ),
    );
    return rows;
  } finally {
    await server.close();
  }
}

async function main() {
  const started = performance.now();
  log(`chatshop REST benchmark: ${CLIENTS} clients, ≤ ${SCENARIO_MS / 1000} s per scenario, databases: ${databases.join(', ')}`);
  if (!databases.includes('postgresql')) log('(PostgreSQL skipped: TEST_DATABASE_URL not set)');
  const rows: Row[] = [];
  for (const kind of databases) rows.push(...(await benchDatabase(kind)));
  log(`\n${formatTable(rows)}`);
  log(
    `\n${rows.filter(passes).length}/${rows.length} rows meet their target; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
