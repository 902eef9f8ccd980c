import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/kernels.ts'],
    setupFiles: ['test/setup/temp-dirs.ts'],
    // Hang guards, not speed targets (those live in scripts/): an audit test on a loaded 2-core machine has taken
    // 60 s where it takes 25 s idle.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // One test file per core: most files spend their time in one audit on the main thread (TTS_AUDIT_JOBS=1 below),
    // so vitest's default of one worker fewer than the cores leaves a core of a 2-core machine idle.
    maxWorkers: availableParallelism(),
    // Most tests audit a handful of clips, where worker threads only add start-up time (more so from the
    // TypeScript sources); the tests of parallel runs pass --jobs themselves.
    env: { TTS_AUDIT_JOBS: '1' },
  },
});
