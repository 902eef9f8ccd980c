// CPU time of this process's child processes (espeak-ng, which the phonemes analyzer keeps running per worker),
// read from /proc while they run: a child that a worker thread started and ended is never reaped into this
// process's RUSAGE_CHILDREN, so getrusage would miss it.

import { readdirSync, readFileSync } from 'node:fs';

const TICK_SEC = 0.01; // USER_HZ is 100 on Linux

/** utime + stime (s) of every process whose parent is `pid`, by child pid. */
function childTimes(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out; // not Linux: children are not counted
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid … utime (12th) stime (13th).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === pid) out.set(Number(name), (Number(f[11]) + Number(f[12])) * TICK_SEC);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

/** Polls the children of `parent` every `everyMs`; `stop()` returns the CPU seconds they used since the start. */
export function watchChildren(parent = process.pid, everyMs = 250): { stop(): number } {
  const seen = new Map<number, { first: number; last: number }>();
  const poll = () => {
    for (const [pid, sec] of childTimes(parent)) {
      const s = seen.get(pid);
      if (s) s.last = sec;
      else seen.set(pid, { first: sec, last: sec });
    }
  };
  // Children already running (a warm-up's) count from now on; new ones from zero.
  const before = childTimes(parent);
  for (const [pid, sec] of before) seen.set(pid, { first: sec, last: sec });
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      let total = 0;
      for (const [pid, s] of seen) total += s.last - (before.has(pid) ? s.first : 0);
      return total;
    },
  };
}

/** CPU seconds of this process and its reaped children (a child process it waited for, not a worker's): Linux /proc. */
export function cpuWithChildren(): number {
  const own = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime: the 14th and 15th fields after the command.
  return (own.user + own.system) / 1e6 + (Number(f[13]) + Number(f[14])) * TICK_SEC;
}
