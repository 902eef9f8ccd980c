import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** Real clips of each corpus in its native layout (see its SOURCES.md for origin and licence). */
export const REAL = resolve(ROOT, 'test', 'fixtures', 'real');
export const SAMPLES = resolve(ROOT, 'data-samples', 'ljspeech');

const made: string[] = [];

/** A fresh folder under the system's temporary folder, removed when the test file ends (test/setup/temp-dirs.ts). */
export function tempDir(prefix = 'tts-audit-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made in this test file: a suite run used to leave ~200 of them (~90 MB) behind. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs the CLI through tsx, as a user would run the built binary. */
export function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a command and returns stderr too (sox stats and ffmpeg print their figures there). */
export function runAll(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout + r.stderr;
}
