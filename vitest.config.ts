import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // a first start on an empty store indexes the demo help centre and trains the intent model and the
    // entry selector: on a busy two-core machine with two test files at once that can pass two minutes
    hookTimeout: 180_000,
    // kefu instances the tests start on empty databases reuse the models trained by the first one
    // (training/intents/train-cache.ts: keyed by the examples, the options and the trainer's source)
    env: { KEFU_MODEL_CACHE: fileURLToPath(new URL('./node_modules/.cache/kefu-trained', import.meta.url)) },
    pool: 'forks',
    maxWorkers: 2,
  },
});
