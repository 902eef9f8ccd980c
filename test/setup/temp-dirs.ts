import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/run.js';

// Runs in each test file's own context, so it removes the folders that file's tests made with `tempDir`.
afterAll(removeTempDirs);
