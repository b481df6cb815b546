import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CJS (what Node loads for the libraries) and ESM (what Vite would pick for our
  // sources); pin the CJS build so there is one copy and `instanceof GraphQLError` holds everywhere.
  resolve: { alias: { graphql: fileURLToPath(import.meta.resolve('graphql')) } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts', 'tests/support/index-dir-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run one at a time so timing-sensitive pipeline tests are not starved.
    fileParallelism: false,
  },
});
