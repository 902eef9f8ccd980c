import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempNameFor } from '../util/atomic.js';
import type { Source, SourceOptions } from '../sources/types.js';
import type { Finding, Origin } from '../types.js';
import { jsonlWriter } from '../util/jsonl.js';

export interface DroppedClip {
  origin: Origin;
  durationSec: number;
  findings: Finding[];
}

export interface TrimmedClip {
  origin: Origin;
  startSec: number;
  endSec: number;
  /** A high-pass (Hz) that removes the clip's rumble, when it has some. */
  highPassHz?: number;
  /** Mains frequency (Hz) to notch with its harmonics, when the clip hums. */
  notchHz?: number;
  findings: Finding[];
}

const reasonsOf = (findings: Finding[]) => findings.map(({ clipId: _c, origin: _o, ...f }) => f);

/**
 * Writes `curated/` — the kept clips in the source's own layout — plus `curated/dropped.jsonl`, one
 * line per dropped clip with every error that dropped it, and `curated/trims.jsonl`, the kept clips
 * to cut to [startSec, endSec] (and to filter: `highPassHz`, `notchHz`) with the reasons.
 */
export interface CuratedArgs {
  source: Source;
  root: string;
  options: SourceOptions;
  outDir: string;
  isKept: (id: string) => boolean;
  /** Read once, in clip order (they live on disk at corpus scale). */
  dropped: { entries(): Iterable<[string, DroppedClip]> };
  trims: { entries(): Iterable<[string, TrimmedClip]> };
}

export async function writeCurated(args: CuratedArgs): Promise<string[]> {
  // Written under a working name and renamed into place, so `curated/` is always one whole run's.
  const final = join(args.outDir, 'curated');
  const dir = tempNameFor(final);
  await mkdir(dir, { recursive: true });
  const result = await args.source.writeCurated({
    root: args.root,
    outDir: dir,
    isKept: args.isKept,
    options: args.options,
  });
  const writer = jsonlWriter(join(dir, 'dropped.jsonl'));
  for (const [id, d] of args.dropped.entries()) {
    await writer.write({
      id,
      origin: d.origin,
      durationSec: d.durationSec,
      reasons: reasonsOf(d.findings.filter((f) => f.severity === 'error')),
    });
  }
  await writer.close();
  const trims = jsonlWriter(join(dir, 'trims.jsonl'));
  for (const [id, t] of args.trims.entries())
    await trims.write({
      id,
      origin: t.origin,
      startSec: t.startSec,
      endSec: t.endSec,
      ...(t.highPassHz !== undefined ? { highPassHz: t.highPassHz } : {}),
      ...(t.notchHz !== undefined ? { notchHz: t.notchHz } : {}),
      reasons: reasonsOf(t.findings),
    });
  await trims.close();
  await rm(final, { recursive: true, force: true });
  await rename(dir, final);
  return [
    ...result.files.map((f) => join('curated', f)),
    join('curated', 'dropped.jsonl'),
    join('curated', 'trims.jsonl'),
  ];
}
