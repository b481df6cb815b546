import { defineConfig } from 'vitest/config';

// `npm run test:real`: helix against its peers on real reads (../shared/data/real, or HELIX_REAL_DATA)
// and wgsim reads of a real genome. Kept apart from `npm test`, which must pass without that data.
export default defineConfig({
  test: {
    include: ['tests-real/**/*.test.ts'],
    // The data directory is only read: the indexes of its references go to a scratch directory.
    globalSetup: ['tests/support/index-dir-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 900_000,
    // Two cores: one data set at a time, so every caller gets the whole machine.
    fileParallelism: false,
  },
});
