import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default on a 2-core machine is one file at a time (cores − 1). Most integration
    // and browser files wait on child processes, PostgreSQL or Chromium, so two files at once
    // keep both cores busy.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        // Pure code: no database, so no global set-up (`npm run test:unit` runs only these).
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts', 'web/src/**/*.test.ts'],
        },
      },
      {
        // Against real databases: one migrated PGlite template and a throw-away PostgreSQL
        // server for the whole run (test/global-setup.ts).
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        // The browser tests: one real server and one Chromium for all files (test/e2e/global-setup.ts).
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
