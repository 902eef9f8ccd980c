// Reading pocketsphinx's `-backtrace yes` log: after the hypothesis it prints a table
//   word                 start end   pprob ascr       lscr       lback
//   in                   0     12    1.000 -304       0          1
// (frames of 10 ms, the posterior, acoustic and language scores), with INFO lines possibly in between; the
// n-gram search prints it once per pass, and the last table is the final answer.

export interface WordSegment {
  /** The word as the dictionary spells it (`a(2)` → `a`), or a filler: `<s>`, `</s>`, `<sil>`, `[NOISE]`, `+…+`. */
  word: string;
  startSec: number;
  endSec: number;
  /** Posterior probability of the word (1 in a grammar search, which computes none). */
  posterior: number;
  /** Acoustic log-likelihood (pocketsphinx's log base 1.0001 units, scaled by the search). */
  acoustic: number;
}

const HEADER = /^word\s+start\s+end\s+pprob\s+ascr\s+lscr\s+lback\s*$/;
const ROW = /^(\S+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$/;
const FRAMES_PER_SEC = 100;

export function parseBacktrace(log: string): WordSegment[] {
  let rows: WordSegment[] = [];
  for (const line of log.split('\n')) {
    if (HEADER.test(line.trim())) {
      rows = [];
      continue;
    }
    const m = ROW.exec(line.trim());
    if (!m) continue;
    rows.push({
      word: m[1].replace(/\(\d+\)$/, ''),
      startSec: Number(m[2]) / FRAMES_PER_SEC,
      endSec: (Number(m[3]) + 1) / FRAMES_PER_SEC,
      posterior: Number(m[4]),
      acoustic: Number(m[5]),
    });
  }
  return rows;
}

/** What the recognizer puts between words: silence, noise, unknown speech, sentence marks, a skipped word `(NULL)`. */
export const isFiller = (word: string) => /^(<.*>|\[.*\]|\+.*\+|\(NULL\))$/.test(word);
