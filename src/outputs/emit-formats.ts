import type { EmitFormat } from '../config/curated-schema.js';
import type { Emitter } from './curated-types.js';
import { CSV_DROPPED, CSV_MANIFEST, openCsvEmitter } from './emit-csv.js';
import { LHOTSE_DROPPED, LHOTSE_RECORDINGS, LHOTSE_SUPERVISIONS, openLhotseEmitter } from './emit-lhotse.js';
import { NEMO_DROPPED, NEMO_MANIFEST, openNemoEmitter } from './emit-nemo.js';

/** The manifests `--emit` can add to curated/, each written beside the layout's own as the kept clips stream by. */
export const emitters: Record<EmitFormat, (dir: string) => Emitter> = {
  nemo: openNemoEmitter,
  lhotse: openLhotseEmitter,
  csv: openCsvEmitter,
};

/** The files each emitted manifest takes in curated/, beside the two every curated set has. */
export const emittedNames: Record<EmitFormat, readonly string[]> = {
  nemo: [NEMO_MANIFEST, NEMO_DROPPED],
  lhotse: [LHOTSE_RECORDINGS, LHOTSE_SUPERVISIONS, LHOTSE_DROPPED],
  csv: [CSV_MANIFEST, CSV_DROPPED],
};
export const CURATED_OWN_NAMES = ['dropped.jsonl', 'trims.jsonl'] as const;
