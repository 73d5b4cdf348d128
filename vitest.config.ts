import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Low-cost password hashing keeps the suite fast; production uses the default cost.
    env: { ACCORD_SCRYPT_COST: '1024', TZ: 'UTC' },
  },
});
