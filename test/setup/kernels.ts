import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The tests import src/, which loads src/kernels/kernels.wasm: built by `npm run build` (so by `npm ci`), and
// rebuilt here when an AssemblyScript source is newer, so a test never runs a kernel older than its source.
export default function buildKernels(): void {
  const root = join(import.meta.dirname, '..', '..');
  const wasm = join(root, 'src', 'kernels', 'kernels.wasm');
  const sources = join(root, 'src', 'kernels', 'assembly');
  const built = existsSync(wasm) ? statSync(wasm).mtimeMs : -Infinity;
  const stale = readdirSync(sources).some((f) => statSync(join(sources, f)).mtimeMs > built);
  if (stale) execFileSync('npm', ['run', '--silent', 'build:kernels'], { cwd: root, stdio: 'inherit' });
}
