import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit, merge, type AuditReport } from '../src/index.js';
import { cli, ROOT, SAMPLES, tempDir } from './helpers/run.js';
import { tiledLjSpeech } from './helpers/tiles.js';
import { describeProgress } from '../src/cli/progress.js';

// How whole-corpus runs behave: parallel workers, a kill at any moment, Ctrl-C, a reused output folder.

/** A report without what differs between two runs of the same audit: timings, run id, parallelism. */
function comparable(path: string): Omit<AuditReport, 'run'> {
  const { run: _run, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as AuditReport;
  return rest;
}

/** report.md without the lines that name the run's time and speed. */
const timeless = (md: string) =>
  md.replace(/audited \S+ by/, 'audited … by').replace(/Analysed at .*× real time/, 'Analysed at …× real time');

/** datacard.md without the command line, which names each run's own --out, --jobs or shards (or none, by library). */
const commandless = (card: string) => card.replace(/(## How it was made\n\n)[\s\S]*?\n(?=Config sha256)/, '$1…\n');

/** Every file under `dir` (relative path → bytes), for comparing two output folders. */
function tree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files.map((e) => [
      join(e.parentPath, e.name).slice(dir.length + 1),
      readFileSync(join(e.parentPath, e.name), 'utf8'),
    ]),
  );
}

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

/** Starts the CLI and resolves once `until` holds (checked every 20 ms), with the child still running. */
function startCli(args: string[], until: () => boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const reached = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (until()) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the run ended before it could be interrupted: ${stderr}`));
    });
  });
  return { child, reached, exited, stderr: () => stderr };
}

describe('a parallel run', () => {
  it('writes the same report.json and clips.jsonl with --jobs 1 and --jobs 2, apart from timings', async () => {
    const [one, two] = [tempDir(), tempDir()];
    await audit({ source: SAMPLES, out: one, jobs: 1 });
    const { report } = await audit({ source: SAMPLES, out: two, jobs: 2 });
    expect(report.run.jobs).toBe(2);
    expect(comparable(join(two, 'report.json'))).toEqual(comparable(join(one, 'report.json')));
    expect(readFileSync(join(two, 'clips.jsonl'), 'utf8')).toBe(readFileSync(join(one, 'clips.jsonl'), 'utf8'));
  });
});

describe('resume and interruption', () => {
  let data: string;
  let reference: string;
  beforeAll(async () => {
    data = await tiledLjSpeech(tempDir(), 60); // 420 clips, 46 min of audio: a few seconds per run
    reference = tempDir();
    await audit({ source: data, out: reference, jobs: 2 });
  });

  it('continues a run killed with SIGKILL, redoing a torn last line, and ends with the uninterrupted outputs', async () => {
    const out = tempDir();
    const part = join(out, 'clips.jsonl.part');
    const run = startCli(['audit', data, '--out', out, '--jobs', '2', '-q'], () => lineCount(part) >= 60);
    await run.reached;
    run.child.kill('SIGKILL');
    await run.exited;
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).state).toBe('running');
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    appendFileSync(part, '{"id":"LJ001-0003_9","text":"torn mid-li'); // a kill in the middle of a write
    const done = lineCount(part);
    const resumed = cli(['audit', data, '--out', out, '--jobs', '2', '--resume', '-q']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(comparable(join(out, 'report.json'))).toEqual(comparable(join(reference, 'report.json')));
    const [a, b] = [tree(out), tree(reference)];
    for (const name of ['run.json', 'report.json']) [a, b].forEach((t) => t.delete(name));
    for (const t of [a, b]) {
      t.set('report.md', timeless(t.get('report.md') ?? ''));
      t.set('datacard.md', commandless(t.get('datacard.md') ?? ''));
    }
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of b) expect(a.get(name), name).toBe(bytes);
    expect(done).toBeLessThan(420);
    expect(cli(['check', join(out, 'report.json')]).code).toBe(0);
  });

  it('stops on Ctrl-C after the clips in flight, marks the outputs interrupted, and names the command that resumes', async () => {
    const out = tempDir();
    const part = join(out, 'clips.jsonl.part');
    const run = startCli(['audit', data, '--out', out, '--jobs', '2'], () => lineCount(part) >= 40);
    await run.reached;
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport;
    expect(report.run.state).toBe('interrupted');
    expect(report.summary.listed).toBeLessThan(420);
    expect(report.selection?.note).toMatch(/interrupted/);
    const command = /continue with:\n\s+(tts-audit .*)\n/.exec(run.stderr())?.[1];
    expect(command).toBe(`tts-audit audit ${data} --out ${out} --jobs 2 --resume`);
    const checked = cli(['check', join(out, 'report.json')]);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(/interrupted.*--resume/);
    const resumed = cli(command!.split(' ').slice(1).concat('-q'));
    expect(resumed.code).toBe(0);
    expect(comparable(join(out, 'report.json'))).toEqual(comparable(join(reference, 'report.json')));
  });

  it('resumes nothing into a fresh run, a finished run as a no-op, and refuses another selection', () => {
    const out = tempDir();
    const fresh = cli(['audit', SAMPLES, '--out', out, '-q', '--limit', '3', '--resume']);
    expect(fresh.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).state).toBe('finished');
    const before = readFileSync(join(out, 'report.json'), 'utf8');
    const finished = cli(['audit', SAMPLES, '--out', out, '-q', '--limit', '3', '--resume']);
    expect(finished.code).toBe(0);
    expect(finished.stderr).toMatch(/had finished; nothing to resume/);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(before);
    writeFileSync(
      join(out, 'run.json'),
      readFileSync(join(out, 'run.json'), 'utf8').replace('"finished"', '"running"'),
    );
    const other = cli(['audit', SAMPLES, '--out', out, '-q', '--limit', '4', '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/selection .* differs/);
  });
});

describe('an output folder that never lies', () => {
  it('never leaves an old report beside a new run killed part-way, and check refuses what is there', async () => {
    const data = await tiledLjSpeech(tempDir(), 40);
    const out = tempDir();
    expect(cli(['audit', data, '--out', out, '-q']).code).toBe(0);
    expect(cli(['check', join(out, 'report.json')]).code).toBe(0);
    const part = join(out, 'clips.jsonl.part');
    const run = startCli(['audit', data, '--out', out, '-q'], () => lineCount(part) >= 20);
    await run.reached;
    run.child.kill('SIGKILL');
    await run.exited;
    for (const stale of ['report.json', 'report.md', 'datacard.md', 'clips.jsonl', 'curated'])
      expect(existsSync(join(out, stale)), stale).toBe(false);
    expect(cli(['check', join(out, 'report.json')]).code).toBe(2);
  });

  it('check refuses a report whose clips.jsonl or run.json was replaced', async () => {
    const out = tempDir();
    await audit({ source: SAMPLES, out });
    appendFileSync(join(out, 'clips.jsonl'), '{}\n');
    const r = cli(['check', join(out, 'report.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/clips\.jsonl beside it is not the one this run wrote/);
    const other = tempDir();
    await audit({ source: SAMPLES, out: other });
    writeFileSync(join(out, 'run.json'), readFileSync(join(other, 'run.json')));
    expect(cli(['check', join(out, 'report.json')]).stderr).toMatch(/records another run/);
  });

  it('refuses another source’s audit folder unless --force, which clears its outputs first', async () => {
    const out = tempDir();
    const vctk = join(ROOT, 'test', 'fixtures', 'real', 'vctk');
    expect(cli(['audit', vctk, '--out', out, '-q']).code).toBe(0);
    expect(existsSync(join(out, 'curated', 'speaker-info.txt'))).toBe(true);
    const refused = cli(['audit', SAMPLES, '--out', out, '-q']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds the audit of .*vctk; pass --force/);
    expect(cli(['audit', SAMPLES, '--out', out, '-q', '--force']).code).toBe(0);
    expect(existsSync(join(out, 'curated', 'speaker-info.txt'))).toBe(false);
    expect(existsSync(join(out, 'curated', 'metadata.csv'))).toBe(true);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses an output folder equal to or inside the dataset', () => {
    for (const out of [SAMPLES, join(SAMPLES, 'audit')]) {
      const r = cli(['audit', SAMPLES, '--out', out, '-q']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is inside the dataset/);
    }
    expect(existsSync(join(SAMPLES, 'audit'))).toBe(false);
  });
});

describe('selections', () => {
  it('says in the report that --limit took the first N clips', async () => {
    const { report } = await audit({ source: SAMPLES, selection: { limit: 5 } });
    expect(report.summary.listed).toBe(5);
    expect(report.selection).toMatchObject({
      limit: 5,
      note: expect.stringMatching(/first 5 clips.*not a random sample/),
    });
  });

  it('draws a seeded sample that does not depend on manifest order, with 95 % intervals around its shares', async () => {
    const data = await tiledLjSpeech(tempDir(), 6);
    const ids = async (root: string, seed: number) => {
      const out = tempDir();
      const { report } = await audit({ source: root, out, selection: { sample: 10, seed } });
      const lines = readFileSync(join(out, 'clips.jsonl'), 'utf8').trim().split('\n');
      return { report, ids: lines.map((l) => (JSON.parse(l) as { id: string }).id).sort() };
    };
    const a = await ids(data, 7);
    expect(a.ids).toHaveLength(10);
    expect(a.report.selection).toMatchObject({ sample: 10, seed: 7, population: 42 });
    const dropped = a.report.selection!.estimates!.dropped;
    expect(dropped.share).toBeCloseTo(a.report.summary.dropped / 10, 10);
    expect(dropped.low).toBeLessThanOrEqual(dropped.share);
    expect(dropped.high).toBeGreaterThanOrEqual(dropped.share);
    const manifest = join(data, 'metadata.csv');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').trim().split('\n').reverse().join('\n') + '\n');
    expect((await ids(data, 7)).ids).toEqual(a.ids);
    expect((await ids(data, 8)).ids).not.toEqual(a.ids);
  });

  it('splits the clips into disjoint shards that together hold every clip', async () => {
    const data = await tiledLjSpeech(tempDir(), 3);
    const shards = [];
    for (let k = 1; k <= 3; k++) {
      const { report } = await audit({ source: data, selection: { shard: { index: k, count: 3 } }, jobs: 1 });
      shards.push(report.summary.listed);
    }
    expect(shards.reduce((a, b) => a + b, 0)).toBe(21);
    expect(Math.min(...shards)).toBeGreaterThan(0);
  });

  it('rejects selections that make no sense, naming the flag', () => {
    for (const [args, message] of [
      [['--limit', '0'], /--limit takes a positive whole number/],
      [['--limit', '3', '--sample', '3'], /exclude each other/],
      [['--shard', '4/3'], /--shard takes K\/N/],
      [['--seed', '3'], /--seed goes with --sample/],
      [['--jobs', 'many'], /--jobs takes a positive whole number/],
    ] as const) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'audit', SAMPLES, '--out', tempDir(), ...args],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('progress', () => {
  it('says clips of total, hours, speed and ETA when the total is known, and no guess when it is not', () => {
    const p = { clips: 250, total: 1000, audioSec: 1800, elapsedSec: 60, cpuSec: 100, done: false };
    expect(describeProgress(p)).toBe(
      '250 clips of 1000 (25 %), 0.50 h of audio, 30× real time, 1m00s elapsed, ETA 3m00s',
    );
    expect(describeProgress({ ...p, total: undefined })).toBe(
      '250 clips, 0.50 h of audio, 30× real time, 1m00s elapsed',
    );
  });

  it('prints plain lines, not a bar, when stderr is not a terminal', () => {
    const r = cli(['audit', SAMPLES, '--out', tempDir()]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\u001b['); // no terminal control sequences in a log
    expect(r.stderr).toMatch(/14 clips listed/);
  });
});

/** Files this process holds open under any of `dirs` (Linux /proc). */
function openFilesUnder(dirs: string[]): string[] {
  const fds = readdirSync('/proc/self/fd');
  const targets = fds.map((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd));
    } catch {
      return ''; // closed between the listing and the read
    }
  });
  return targets.filter((t) => dirs.some((d) => t.startsWith(d + '/')));
}

/**
 * The same, once closing has had its moment: a read stream that is stopped closes its file a few ticks later. A file
 * left to the garbage collector is still open after the wait.
 */
async function stillOpenUnder(dirs: string[], waitMs = 2000): Promise<string[]> {
  for (const start = Date.now(); Date.now() - start < waitMs;) {
    if (openFilesUnder(dirs).length === 0) return [];
    await new Promise((r) => setTimeout(r, 20));
  }
  return openFilesUnder(dirs);
}

describe('shards and merge', () => {
  /** Audits `source` whole and in `count` shards, merges the shards, and returns both output folders. */
  async function singleAndMerged(source: string, count: number, extra: Partial<Parameters<typeof audit>[0]> = {}) {
    const single = tempDir();
    await audit({ source, out: single, ...extra });
    const shards = [];
    for (let k = 1; k <= count; k++) {
      const out = tempDir();
      await audit({ source, out, selection: { shard: { index: k, count } }, ...extra });
      shards.push(out);
    }
    const merged = tempDir();
    await merge({ shards: shards.reverse(), out: merged });
    // The replay stops at each shard's last clip: its clips.jsonl must be closed by merge, not left to GC.
    expect(await stillOpenUnder(shards)).toEqual([]);
    return { single, merged, shards };
  }

  it.each([
    [
      'the real VCTK 0.92 clips, both microphones',
      join(ROOT, 'test', 'fixtures', 'real', 'vctk'),
      3,
      { sourceOptions: { mic: 'both' as const } },
    ],
    ['the real LibriTTS clips', join(ROOT, 'test', 'fixtures', 'real', 'libritts'), 2, {}],
    ['the demo set with its defects', SAMPLES, 4, {}],
  ])('merged equals single apart from timings: %s', async (_name, source, count, extra) => {
    const { single, merged } = await singleAndMerged(source, count, extra);
    expect(comparable(join(merged, 'report.json'))).toEqual(comparable(join(single, 'report.json')));
    const [a, b] = [tree(merged), tree(single)];
    for (const t of [a, b]) {
      t.delete('run.json');
      t.delete('report.json');
      t.set('report.md', timeless(t.get('report.md') ?? ''));
      t.set('datacard.md', commandless(t.get('datacard.md') ?? ''));
    }
    expect(a).toEqual(b);
    expect(cli(['check', join(merged, 'report.json')]).code).toBe(cli(['check', join(single, 'report.json')]).code);
  });

  it('refuses a missing shard, a shard given twice, an unfinished one, and a folder that is no shard', async () => {
    const { shards } = await singleAndMerged(SAMPLES, 3);
    const fails = async (dirs: string[], message: RegExp) => {
      await expect(merge({ shards: dirs, out: tempDir() })).rejects.toThrow(message);
    };
    await fails(shards.slice(1), /shards? .*\/3 .*missing/);
    await fails([...shards, shards[0]], /twice/);
    const unfinished = shards[1];
    writeFileSync(
      join(unfinished, 'run.json'),
      readFileSync(join(unfinished, 'run.json'), 'utf8').replace('"finished"', '"running"'),
    );
    await fails(shards, /running; finish it with --resume/);
    const whole = tempDir();
    await audit({ source: SAMPLES, out: whole });
    await fails([whole], /not a shard/);
  });
});
