import { defineConfig } from 'vitest/config';

// Two projects: everything on embedded PGlite; and, when CANVASS_TEST_POSTGRES_URL (or
// DATABASE_URL) names a PostgreSQL superuser connection (CI sets it), every database-backed
// suite again on that server: integration and browser tests, each file in a fresh database.
const postgresUrl = process.env.CANVASS_TEST_POSTGRES_URL ?? process.env.DATABASE_URL;

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { CANVASS_TEST_DATABASE: 'pglite' },
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
                env: { CANVASS_TEST_DATABASE: 'postgres', CANVASS_TEST_POSTGRES_URL: postgresUrl },
              },
            },
          ]
        : []),
    ],
  },
});
