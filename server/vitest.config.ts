import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Unit tests (src/) need no database and start at once; integration tests (test/) share a migrated, seeded
// template made by the global setup. ZHILI_TEST_SCOPE=unit|integration runs one of them, ZHILI_TEST_DB=pglite|postgres
// picks the integration tests' database.
const unit: TestProjectInlineConfiguration = { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } };
const integration: TestProjectInlineConfiguration = { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } };
const scope = process.env.ZHILI_TEST_SCOPE;

export default defineConfig({
  test: {
    projects: scope === 'unit' ? [unit] : scope === 'integration' ? [integration] : [unit, integration],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TZ: 'Asia/Shanghai' },
  },
});
