import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (every Node test under test/: unit, property, scenario, page-engine) and
 * `e2e` (the built app in Debian's Chromium). `npm test` runs both; `npm run test:unit` runs only
 * the first, which needs no build and no browser.
 */
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.test.ts'], globalSetup: ['e2e/global-setup.ts'] } },
    ],
  },
});
