import { defineConfig } from 'vitest/config';

// The suite runs once per store (TANDEM_TEST_STORE=sqlite|postgres): files named *.sqlite.test.ts hold
// what only SQLite has (files, pragmas), *.pg.test.ts what only PostgreSQL has (LISTEN, restarts).
const postgres = process.env.TANDEM_TEST_STORE === 'postgres';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['**/node_modules/**', postgres ? 'tests/**/*.sqlite.test.ts?(x)' : 'tests/**/*.pg.test.ts?(x)'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC', NO_COLOR: '1' },
  },
});
