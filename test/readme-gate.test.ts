import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL, ROOT, SAMPLES, tempDir } from './helpers/run.js';

// The README's "Pre-training gate" example, run as written: only the dataset path, the output folder, the package
// name (this checkout instead of the published build) and the training command are put in.

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = README.slice(README.indexOf('### Pre-training gate'));
const block = (lang: string) => new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(section)![1]!;
const CLI = `${process.execPath} --import tsx ${join(ROOT, 'src', 'cli', 'main.ts')}`;

function shellStep(data: string) {
  const out = join(tempDir(), 'gate-out');
  const script = block('sh')
    .replaceAll('npx tts-audit', CLI)
    .replaceAll('data/LJSpeech-1.1', data)
    .replaceAll('gate-out', out)
    .replace(/python train\.py .*/, 'echo TRAINING');
  return spawnSync('sh', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
}

function libraryCall(data: string) {
  const dir = tempDir();
  const file = join(dir, 'gate.mts');
  const code = block('ts')
    .replace("from 'tts-audit'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`)
    .replaceAll('data/LJSpeech-1.1', data)
    .replaceAll("'gate-out'", JSON.stringify(join(dir, 'gate-out')));
  writeFileSync(file, `${code}\nconsole.log('TRAINING');\n`);
  return spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' });
}

describe('the README pre-training gate', () => {
  it('shell step: the demo set stops the chain with check’s exit code 1; clean clips reach training', () => {
    const bad = shellStep(SAMPLES);
    expect(bad.status).toBe(1);
    expect(bad.stdout).not.toContain('TRAINING');
    expect(bad.stdout + bad.stderr).toMatch(/FAIL maxDroppedFraction/);
    const good = shellStep(join(REAL, 'ljspeech'));
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('TRAINING');
  });

  it('library call: the same verdicts, with the failed rules printed', () => {
    expect(block('ts')).toContain("import { audit, check } from 'tts-audit';");
    const bad = libraryCall(SAMPLES);
    expect(bad.status).toBe(1);
    expect(bad.stdout).not.toContain('TRAINING');
    expect(bad.stderr).toMatch(/FAIL maxDroppedFraction/);
    const good = libraryCall(join(REAL, 'ljspeech'));
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('TRAINING');
  });
});
