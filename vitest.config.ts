import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // a first start on an empty store indexes the demo help centre and trains the intent model and the
    // entry selector: on a busy two-core machine with two test files at once that can pass two minutes
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
