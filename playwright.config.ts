// Playwright runs test/e2e/*.e2e.ts (`npm run test:e2e`, scripts/test.ts) in
// Debian's Chromium against the local stack; see docs/testing.md.
import { defineConfig } from '@playwright/test';
import { CHROMIUM, PHONE } from './scripts/bench/h5-app';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: '.tmp/e2e-results',
  // The h5 build (when missing or stale) happens once, before any test.
  globalSetup: './test/e2e/global-setup.ts',
  // One local stack per file, steps in order: no parallel workers.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  use: {
    ...PHONE,
    launchOptions: CHROMIUM,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
