import { defineConfig } from 'vitest/config';
import { FLEXSEARCH_BROWSER_BUILD } from './vite.config';

export default defineConfig({
  test: {
    projects: [
      {
        // The FlexSearch build the extension ships (vite.config.ts).
        resolve: { alias: [{ find: /^flexsearch$/, replacement: FLEXSEARCH_BROWSER_BUILD }] },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          // One real browser at a time: the machine has 2 cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
