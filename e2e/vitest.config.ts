import { defineConfig } from 'vitest/config';

// Browser tests: the real server on an embedded database with the demo city, the built web console,
// Debian's chromium driven by playwright-core.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    env: { TZ: 'Asia/Shanghai' },
  },
});
