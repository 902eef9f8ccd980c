import { join } from 'node:path';
import type { Source, SourceOptions } from '../sources/types.js';
import type { Finding, Origin } from '../types.js';
import { jsonlWriter } from './jsonl.js';

export interface DroppedClip {
  origin: Origin;
  durationSec: number;
  findings: Finding[];
}

/**
 * Writes `curated/` — the kept clips in the source's own layout — and `curated/dropped.jsonl`,
 * one line per dropped clip with every error that dropped it.
 */
export async function writeCurated(args: {
  source: Source;
  root: string;
  options: SourceOptions;
  outDir: string;
  isKept: (id: string) => boolean;
  dropped: Map<string, DroppedClip>;
}): Promise<string[]> {
  const dir = join(args.outDir, 'curated');
  const result = await args.source.writeCurated({ root: args.root, outDir: dir, isKept: args.isKept, options: args.options });
  const writer = jsonlWriter(join(dir, 'dropped.jsonl'));
  for (const [id, d] of args.dropped) {
    const reasons = d.findings.filter((f) => f.severity === 'error').map(({ clipId: _c, origin: _o, ...f }) => f);
    await writer.write({ id, origin: d.origin, durationSec: d.durationSec, reasons });
  }
  await writer.close();
  return [...result.files.map((f) => join('curated', f)), join('curated', 'dropped.jsonl')];
}
