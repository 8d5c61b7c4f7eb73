import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database suites each get their own SQLite file or PostgreSQL schema, so
    // files can run in parallel; two workers match the machine's two cores.
    pool: 'forks',
    maxWorkers: 2,
    // CI (.ci/run) reads the JSON report to print "N passed, N failed".
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/test-results.json' },
  },
});
