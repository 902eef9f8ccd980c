import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** Real clips of each corpus in its native layout (see its SOURCES.md for origin and licence). */
export const REAL = resolve(ROOT, 'test', 'fixtures', 'real');
export const SAMPLES = resolve(ROOT, 'data-samples', 'ljspeech');

export function tempDir(prefix = 'tts-audit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
