// Where an audit's CPU goes, from the profiles `node --cpu-prof` writes (one file per thread):
//   node --cpu-prof --cpu-prof-dir DIR dist/cli/main.js audit SET --out OUT --quiet
//   npx tsx scripts/bench/hot.ts DIR [--top 40] [--by function|file]
// Sums self time per function (or per source file) over every profile in DIR, threads added together, and
// prints the largest with their share. Self time, not inclusive: the function whose own code ran.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, table } from './format.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, by: { type: 'string', default: 'function' } },
});
const dir = positionals[0];
if (!dir || !['function', 'file'].includes(args.by))
  throw new Error('usage: hot.ts DIR [--top N] [--by function|file]');

/** `…/dist/features/scan.js` → `features/scan.js`; node internals and WASM keep their own names. */
function shortFile(url: string): string {
  if (!url) return '(native)';
  const m = /\/(?:dist|src)\/(.*)$/.exec(url) ?? /node_modules\/(.*)$/.exec(url);
  return m ? m[1] : url.replace(/^file:\/\//, '');
}

const selfUs = new Map<string, number>();
let totalUs = 0;
const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
for (const f of files) {
  const profile = JSON.parse(await readFile(join(dir, f), 'utf8')) as CpuProfile;
  const keyOf = new Map<number, string>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const file = shortFile(url);
    keyOf.set(n.id, args.by === 'file' ? file : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`);
  }
  // timeDeltas[i] is the time before sample i; charged to the node sampled.
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const key = keyOf.get(id) ?? '?';
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    totalUs += us;
  });
}
const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top));
console.log(`${files.length} profiles, ${fmt(totalUs / 1e6, 2)} s sampled (all threads, idle included)`);
console.log(
  table(
    ['self', 's', '%'],
    rows.map(([k, us]) => [k, fmt(us / 1e6, 2), fmt((100 * us) / totalUs, 1)]),
  ),
);
