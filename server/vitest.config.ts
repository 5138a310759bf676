import { defineConfig } from 'vitest/config';

// ZHILI_TEST_DB=pglite|postgres picks the database of the integration tests; unit tests need none.
export default defineConfig({
  test: {
    include: process.env.ZHILI_TEST_SCOPE === 'integration' ? ['test/**/*.test.ts'] : process.env.ZHILI_TEST_SCOPE === 'unit' ? ['src/**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TZ: 'Asia/Shanghai' },
  },
});
