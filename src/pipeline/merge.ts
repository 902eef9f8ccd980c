import { join } from 'node:path';
import { InputError } from '../errors.js';
import { MAX_CLIP_LINE_BYTES, parseClipLine } from '../outputs/clips-log.js';
import { reportSchema } from '../outputs/report-schema.js';
import { CLIPS_FILE, readRunRecord, type RunRecord } from '../outputs/run-record.js';
import { readJsonFile } from '../config/load.js';
import type { SourceOptions } from '../sources/types.js';
import type { ClipResult } from '../types.js';
import { readLines } from '../util/lines.js';
import { outcomeOf } from './analyse.js';
import { auditWith, type AuditOptions, type AuditResult } from './audit.js';
import type { ClipRunner } from './runner.js';
import { shardOf } from './select.js';

export class MergeError extends InputError {}

export interface MergeOptions extends Pick<AuditOptions, 'force' | 'onProgress' | 'progressEveryMs' | 'command'> {
  /** The output folders of the shard runs (`--shard K/N`), one per K, in any order. */
  shards: string[];
  out: string;
}

async function* clipLines(dir: string): AsyncGenerator<ClipResult> {
  for await (const l of readLines(join(dir, CLIPS_FILE), { maxLineBytes: MAX_CLIP_LINE_BYTES })) {
    const clip = parseClipLine(l.text);
    if (!clip) throw new MergeError(`${dir}/${CLIPS_FILE}:${l.line}: not a clip line of tts-audit`);
    yield clip;
  }
}

/** Every shard of one run, finished, each once: or an error saying which is missing or different. */
async function shardRecords(dirs: string[]): Promise<{ dir: string; record: RunRecord }[]> {
  const found = await Promise.all(
    dirs.map(async (dir) => {
      const record = await readRunRecord(dir);
      if (!record) throw new MergeError(`${dir}: no run.json: not the output folder of an audit`);
      if (record.state !== 'finished')
        throw new MergeError(`${dir}: its run is ${record.state}; finish it with --resume`);
      if (!record.selection.shard) throw new MergeError(`${dir}: not a shard (audited without --shard)`);
      if (record.selection.limit !== undefined || record.selection.sample !== undefined)
        throw new MergeError(`${dir}: a shard with --limit or --sample is a part of a part; only whole shards merge`);
      return { dir, record };
    }),
  );
  const [first] = found;
  const count = first.record.selection.shard!.count;
  for (const { dir, record } of found) {
    const differs =
      record.source.root !== first.record.source.root
        ? `audited ${record.source.root}`
        : record.configSha256 !== first.record.configSha256
          ? 'used another config'
          : record.selection.shard!.count !== count
            ? `is one of ${record.selection.shard!.count} shards, not ${count}`
            : JSON.stringify(record.sourceOptions) !== JSON.stringify(first.record.sourceOptions)
              ? 'read the layout with other options'
              : undefined;
    if (differs) throw new MergeError(`${dir} ${differs} than ${first.dir}: they are not shards of one audit`);
  }
  const byIndex = new Map(found.map((f) => [f.record.selection.shard!.index, f]));
  if (byIndex.size !== found.length) throw new MergeError('the same shard is given twice');
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) throw new MergeError(`shards ${missing.map((k) => `${k}/${count}`).join(', ')} are missing`);
  return Array.from({ length: count }, (_, i) => byIndex.get(i + 1)!);
}

/**
 * Combines shard folders into the outputs an unsharded run writes: the source is read again in its own order,
 * and each clip's result is taken from the shard its id hashes to, so every dataset figure folds in the same order.
 */
export async function merge(options: MergeOptions): Promise<AuditResult> {
  if (options.shards.length === 0) throw new MergeError('no shard folders given');
  const shards = await shardRecords(options.shards);
  const { record } = shards[0];
  const report = await readJsonFile(join(shards[0].dir, 'report.json'), reportSchema, 'report');
  const count = shards.length;
  const logs = shards.map(({ dir }) => ({ dir, lines: clipLines(dir) }));
  const runner: ClipRunner = {
    phonemizer: report.dataset.phonemeRateOutliers?.phonemizer ?? null,
    concurrency: 1,
    async analyse(u) {
      const { dir, lines } = logs[shardOf(u.id, count) - 1];
      const next = await lines.next();
      if (next.done || next.value.id !== u.id)
        throw new MergeError(
          `${dir}/${CLIPS_FILE}: expected clip ${u.id} next, found ${next.done ? 'the end' : next.value.id}: the dataset changed since the shards ran`,
        );
      return outcomeOf(next.value);
    },
    close: async () => {},
  };
  const replay: AuditOptions = {
    source: record.source.root,
    format: record.source.format,
    sourceOptions: record.sourceOptions as SourceOptions,
    config: report.config,
    out: options.out,
    force: options.force,
    command: options.command,
    onProgress: options.onProgress,
    progressEveryMs: options.progressEveryMs,
  };
  try {
    return await auditWith(replay, 1, async () => runner, record.source.given ?? record.source.root);
  } finally {
    // The replay reads each shard's log up to its last clip, never past it: close the files here, not at GC.
    await Promise.all(logs.map(({ lines }) => lines.return(undefined)));
  }
}
