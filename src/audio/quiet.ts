// The WASM decoders report every damaged frame on the console themselves (libFLAC's glue with console.error, one
// line per frame; libopus's likewise), naming no file: a corpus with a few bad clips printed about a thousand such
// lines through --quiet. Neither package has an option to stop it. What they print is already in the `errors` they
// return, which our DecodeError messages quote with the file name, so the console copy is dropped.

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];
const silent = () => {};

/**
 * Runs `work` with the console muted, and restores it before returning. `work` must be synchronous: the console is
 * muted only while it runs, when no other code can, so nothing but the decoder's own output is lost.
 */
export function quietly<T>(work: () => T): T {
  const saved = METHODS.map((m) => console[m]);
  for (const m of METHODS) console[m] = silent;
  try {
    return work();
  } finally {
    METHODS.forEach((m, i) => (console[m] = saved[i]));
  }
}
