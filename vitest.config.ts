import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Tests start real git and node processes; two cores is what CI has.
    maxWorkers: 2,
  },
});
