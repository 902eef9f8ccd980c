import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Most tests audit a handful of clips, where worker threads only add start-up time (more so from the
    // TypeScript sources); the tests of parallel runs pass --jobs themselves.
    env: { TTS_AUDIT_JOBS: '1' },
  },
});
