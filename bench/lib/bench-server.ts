import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTestApp, type DbKind, type TestApp } from '../../test/helpers/test-app.ts';

export interface BenchServer {
  testApp: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A freshly migrated database (temp SQLite file or new PostgreSQL schema, as
 * the tests make them) behind the real HTTP server on 127.0.0.1, on a port the
 * OS picks. Logging is off so the figures measure the service, not the log.
 */
export async function startBenchServer(kind: DbKind): Promise<BenchServer> {
  const testApp = await createTestApp(kind, { env: { LOG_LEVEL: 'silent', NODE_ENV: 'production' } });
  try {
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: testApp.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      s.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    return {
      testApp,
      baseUrl: `http://127.0.0.1:${port}`,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        await testApp.close();
      },
    };
  } catch (err) {
    await testApp.close();
    throw err;
  }
}
