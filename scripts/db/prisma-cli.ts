import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from './paths.ts';

const require = createRequire(import.meta.url);
const PRISMA_CLI = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');

/**
 * Runs the Prisma CLI offline. PRISMA_SCHEMA_ENGINE_BINARY pointing at any
 * existing file (Node itself) stops the CLI from trying to download the native
 * schema engine, which `generate` does not actually use.
 */
export function runPrisma(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', rejectRun);
    child.on('close', (code) => resolveRun({ code: code ?? 1, output }));
  });
}
