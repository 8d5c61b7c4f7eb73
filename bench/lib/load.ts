import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-spec.ts';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/**
 * Drives the server from a separate Node process (inheriting tsx's flags), so
 * on a small machine the clients get their own core instead of stealing the
 * server's event loop. Resolves with the client's figures.
 */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.once('message', (m) => {
      result = m as LoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`load client exited with code ${code ?? 'null'} before reporting`));
    });
    child.send(spec);
  });
}
