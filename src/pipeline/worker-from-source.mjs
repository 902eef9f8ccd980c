// The pool's worker when tts-audit runs from its TypeScript sources (tests, `tsx`): registers tsx in the worker
// thread, then loads the real worker. The built package uses dist/pipeline/worker.js directly.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
export const teardown = worker.teardown;
