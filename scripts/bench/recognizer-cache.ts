// pocketsphinx's answers kept on disk, so refitting the transcript-fit weights reruns in seconds instead of the
// ~1× real time per core free decoding costs: scripts/bench-alignment.ts --cache DIR. An answer is keyed by
// everything that decides it: the audio's samples and rate, the mode, the words and beam of an alignment, the
// program and the model folder. A changed plugin (other arguments, another parser) is not in the key: empty the
// folder after changing src/plugins/pocketsphinx*.ts.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pocketsphinx, WordSegment } from '../../src/plugins/pocketsphinx.js';

export interface CacheStats {
  hits: number;
  misses: number;
}

/** `recognizer` with its align and decode answered from `dir` when asked before; `stats` counts both. */
export function cachedRecognizer(
  recognizer: Pocketsphinx,
  dir: string,
  model: string,
): { recognizer: Pocketsphinx; stats: CacheStats } {
  mkdirSync(dir, { recursive: true });
  const stats: CacheStats = { hits: 0, misses: 0 };
  const cached = async (parts: unknown[], samples: Float32Array, run: () => Promise<WordSegment[]>) => {
    const hash = createHash('sha256');
    hash.update(JSON.stringify([recognizer.program, model, ...parts]));
    hash.update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    const file = join(dir, `${hash.digest('hex').slice(0, 32)}.json`);
    if (existsSync(file)) {
      stats.hits += 1;
      return JSON.parse(readFileSync(file, 'utf8')) as WordSegment[];
    }
    stats.misses += 1;
    const out = await run();
    // Written aside and renamed, so a run killed mid-write leaves no half answer behind.
    writeFileSync(`${file}.tmp`, JSON.stringify(out));
    renameSync(`${file}.tmp`, file);
    return out;
  };
  return {
    stats,
    recognizer: {
      ...recognizer,
      align: (s, rate, words, beam) =>
        cached(['align', rate, words, beam ?? null], s, () => recognizer.align(s, rate, words, beam)),
      decode: (s, rate) => cached(['decode', rate], s, () => recognizer.decode(s, rate)),
    },
  };
}
