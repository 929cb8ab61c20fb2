import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`, and the last step of `npm test` (scripts/run-tests.mjs): real worker
 * processes and a real PostgreSQL (started by each file), killed, restarted and starved on
 * purpose. Each file starts its own server (one restarts it), so two files run at once, as in
 * the main suite: the two-schedulers file mostly waits for its minute.
 */
export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
