import type { EmitFormat } from '../config/curated-schema.js';
import type { Emitter } from './curated-types.js';
import { openCsvEmitter } from './emit-csv.js';
import { openLhotseEmitter } from './emit-lhotse.js';
import { openNemoEmitter } from './emit-nemo.js';

/** The manifests `--emit` can add to curated/, each written beside the layout's own as the kept clips stream by. */
export const emitters: Record<EmitFormat, (dir: string) => Emitter> = {
  nemo: openNemoEmitter,
  lhotse: openLhotseEmitter,
  csv: openCsvEmitter,
};
