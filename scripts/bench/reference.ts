// Reference tools (sox, ffmpeg) run the way a user scripts them: one process per file, in a shell loop.

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ReferenceTool {
  name: string;
  /** Shell command for one file, `$f` being the file; output is discarded, only the work is timed. */
  command: string;
}

export const referenceTools: ReferenceTool[] = [
  { name: 'sox stats', command: 'sox "$f" -n stats' },
  {
    name: 'ffmpeg astats+silencedetect+ebur128',
    command: 'ffmpeg -nostats -hide_banner -i "$f" -af astats,silencedetect=n=-50dB:d=0.3,ebur128 -f null -',
  },
];

export interface ReferenceRun {
  files: number;
  wallSec: number;
  cpuSec: number;
  /** True when the wall-time budget ran out before every file was done. */
  partial: boolean;
}

/** "1m2.5s" → 62.5 */
function parseBashTime(s: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(s);
  if (!m) throw new Error(`unexpected \`times\` field ${JSON.stringify(s)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Runs one batch in a single bash and returns the children's user+sys CPU as bash's `times` reports it.
 * `times` sums every reaped child (each sox/ffmpeg process, all of its threads), and leaves out the
 * shell's own bookkeeping (its first line) — the same getrusage(RUSAGE_CHILDREN) figure `time` would give
 * per command, without needing a wrapper process per file. Wall is taken around the whole batch.
 */
function runBatch(tool: ReferenceTool, files: string[], parallel: number): { wallSec: number; cpuSec: number } {
  // `parallel` files at a time through xargs -P, as a user would script a multi-core run; `times` still counts
  // every process, since xargs waits for each and bash for xargs.
  const one = `f="$1"; ${tool.command} </dev/null >/dev/null 2>&1 || { echo "failed on $f" >&2; exit 255; }`;
  const script =
    parallel > 1
      ? `printf '%s\\0' "$@" | xargs -0 -P ${parallel} -n 1 bash -c '${one.replace(/'/g, `'\\''`)}' _ || exit 1; times`
      : `for f in "$@"; do ${tool.command} </dev/null >/dev/null 2>&1 || { echo "failed on $f" >&2; exit 1; }; done; times`;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bench', ...files], { encoding: 'utf8' });
  const wallSec = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${tool.name}: ${r.stderr.trim() || `exit ${r.status}`}`);
  const lines = r.stdout.trim().split('\n');
  const children = lines[lines.length - 1].trim().split(/\s+/);
  if (children.length !== 2) throw new Error(`${tool.name}: cannot parse \`times\` output ${JSON.stringify(r.stdout)}`);
  return { wallSec, cpuSec: parseBashTime(children[0]) + parseBashTime(children[1]) };
}

/**
 * Runs `tool` over `files` in batches of whole tiles until all are done or `budgetSec` of wall time
 * has gone; the caller scales a partial run by audio length (whole tiles keep the clip mix unchanged).
 */
export function runReference(
  tool: ReferenceTool,
  files: string[],
  tileSize: number,
  budgetSec: number,
  parallel = 1,
): ReferenceRun {
  const batch = tileSize * 4;
  const run: ReferenceRun = { files: 0, wallSec: 0, cpuSec: 0, partial: false };
  while (run.files < files.length) {
    if (run.wallSec >= budgetSec) {
      run.partial = true;
      break;
    }
    const chunk = files.slice(run.files, run.files + batch);
    const r = runBatch(tool, chunk, parallel);
    run.files += chunk.length;
    run.wallSec += r.wallSec;
    run.cpuSec += r.cpuSec;
  }
  return run;
}

/** First line of `<cmd> <flag>`, or undefined when the tool is not installed. */
export function toolVersion(cmd: string, flag: string): string | undefined {
  const r = spawnSync(cmd, [flag], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  // "sox:      SoX v14.4.2", "ffmpeg version 5.1 Copyright (c) …": keep the name and version only.
  return `${r.stdout}${r.stderr}`
    .trim()
    .split('\n')[0]
    .replace(/\s+Copyright.*$/, '')
    .replace(/^\w+:\s+/, '');
}
