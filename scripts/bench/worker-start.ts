// What a clip worker costs before its first clip: the modules it imports, the CPU importing them takes on the
// worker's own thread, and the live heap they leave. By hand, on Linux, against one or two builds:
//   npx tsx scripts/bench/worker-start.ts --dist dist [--dist OTHER/dist] [--runs 9]
// Each run is a fresh worker thread that imports `DIST/pipeline/worker.js` (nothing else: no clip, no espeak-ng);
// builds given together are run alternately. CPU is the thread's own (/proc/thread-self/schedstat), heap is
// V8's used size after a full collection. Modules are the `.js`/`.mjs` files a process that only starts one such
// worker opens (`strace -e openat`, when installed): ESM keeps no list of what it loaded.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { fmt, table } from './format.js';

const { values: args } = parseArgs({
  options: { dist: { type: 'string', multiple: true }, runs: { type: 'string', default: '9' } },
});

// Runs inside the worker: thread CPU and heap before and after the import, posted back.
const PROBE = `
const { readFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const v8 = require('node:v8');
const vm = require('node:vm');
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc');
const cpuNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
collect();
const heap0 = v8.getHeapStatistics().used_heap_size;
const cpu0 = cpuNs();
import(workerData.url).then(() => {
  const cpu = cpuNs() - cpu0;
  collect();
  parentPort.postMessage({ cpuMs: cpu / 1e6, heapMB: (v8.getHeapStatistics().used_heap_size - heap0) / 2 ** 20 });
});
`;

async function once(dist: string): Promise<{ cpuMs: number; heapMB: number }> {
  const url = new URL(`file://${resolve(dist, 'pipeline', 'worker.js')}`).href;
  const w = new Worker(PROBE, { eval: true, workerData: { url } });
  const got = await new Promise<{ cpuMs: number; heapMB: number }>((done, fail) => {
    w.once('message', done);
    w.once('error', fail);
  });
  await w.terminate();
  return got;
}

/** The module files one worker's import opens: a bare node process that starts one probe worker, under strace. */
function moduleFiles(dist: string): { all: number; zod: number } | undefined {
  if (!existsSync('/usr/bin/strace')) return undefined;
  const url = new URL(`file://${resolve(dist, 'pipeline', 'worker.js')}`).href;
  const main = `const { Worker } = require('node:worker_threads');
    new Worker(${JSON.stringify(PROBE)}, { eval: true, workerData: { url: ${JSON.stringify(url)} } })
      .once('message', (m) => process.exit(0));`;
  const log = join(tmpdir(), `worker-start-${process.pid}.strace`);
  execFileSync('/usr/bin/strace', ['-f', '-qq', '-e', 'trace=openat', '-o', log, process.execPath, '-e', main]);
  const trace = readFileSync(log, 'utf8');
  rmSync(log);
  const files = new Set<string>();
  for (const m of trace.matchAll(/openat\([^"]*"([^"]+\.m?js)"/g)) files.add(m[1]);
  return { all: files.size, zod: [...files].filter((f) => f.includes('/node_modules/zod/')).length };
}

{
  const dists = args.dist ?? ['dist'];
  const runs = Number(args.runs);
  const got = new Map<string, { cpuMs: number; heapMB: number }[]>(dists.map((d) => [d, []]));
  for (let r = 0; r < runs; r++) for (const d of dists) got.get(d)!.push(await once(d));
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  const rows = dists.map((d) => {
    const m = moduleFiles(d);
    const g = got.get(d)!;
    return [
      d,
      m ? String(m.all) : '?',
      m ? String(m.zod) : '?',
      fmt(median(g.map((x) => x.cpuMs)), 0),
      fmt(median(g.map((x) => x.heapMB)), 2),
    ];
  });
  console.log(`${runs} workers per build, alternated; medians`);
  console.log(table(['build', 'module files', 'of them zod', 'import CPU ms', 'heap MB'], rows));
}
