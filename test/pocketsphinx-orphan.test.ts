import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPocketsphinx } from '../src/plugins/pocketsphinx.js';
import { LJ } from './helpers/transcripts.js';
import { ROOT, tempDir } from './helpers/run.js';

// An audit killed outright (SIGKILL: no exit handler runs) must not leave its recognizers running: each
// pocketsphinx is started under `setpriv --pdeathsig KILL`, so the kernel ends it with its parent. Without that,
// a free decoding of a 7 s LJSpeech clip runs on for seconds after the audit is gone.

const available = process.platform === 'linux' && (await openPocketsphinx().then((p) => (p?.close(), !!p)));

/** pid → [parent pid, state] of every process /proc shows. */
function processes(): Map<number, { ppid: number; state: string; comm: string }> {
  const out = new Map<number, { ppid: number; state: string; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(join('/proc', name, 'stat'), 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(ppid), state, comm });
    } catch {
      // ended while listed
    }
  }
  return out;
}

/** Recognizers descending from `root`. */
function recognizersUnder(root: number): number[] {
  const all = processes();
  const descends = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid; p !== undefined && p > 1; p = all.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  return [...all].filter(([pid, p]) => p.comm.startsWith('pocketsphinx') && descends(pid)).map(([pid]) => pid);
}

const alive = (pid: number) => {
  const p = processes().get(pid);
  return p !== undefined && p.state !== 'Z';
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)('a killed audit', () => {
  it('leaves no pocketsphinx running', { timeout: 120_000 }, async () => {
    const out = join(tempDir(), 'out');
    const args = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'audit', LJ, '--profile', 'deep'];
    const child = spawn(process.execPath, [...args, '--asr-sample', '7', '--jobs', '1', '--out', out, '-q'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    // Wait for a free decoding (seconds per clip) to be under way, then kill the audit with no chance to clean up.
    let seen: number[] = [];
    for (let t = 0; t < 100_000 && seen.length === 0; t += 50) {
      await sleep(50);
      seen = recognizersUnder(child.pid!);
    }
    expect(seen.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    let left = seen;
    for (let t = 0; t < 1000 && left.length > 0; t += 50) {
      await sleep(50);
      left = left.filter(alive);
    }
    expect(left).toEqual([]);
  });
});
