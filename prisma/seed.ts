// npm run db:seed — migrates the configured database and creates the demo
// store (slug "demo") if it is not there yet. `npm start` does the same
// unless SEED_DEMO=false.
import { seedDemoStore } from '../src/catalog/demo-store.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContainer } from '../src/container.ts';
import { createLogger } from '../src/shared/logger.ts';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const container = await createContainer(config, log);
try {
  const r = await seedDemoStore(container.services.catalog);
  log.info(r.created ? `demo store seeded with ${r.products} products` : 'demo store already present; nothing to do');
} finally {
  await container.close();
}
