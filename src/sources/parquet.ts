// Local parquet — a Hugging Face Hub dataset on disk: a `huggingface-cli download` snapshot, a
// `refs/convert/parquet` folder, or one shard. Same column mapping and row reader as the `hub` source.
//   home:    https://huggingface.co/docs/datasets/en/audio_dataset (the `Audio` feature's parquet form)
//   licence: the corpus' own (named on its dataset card)
//   layout:  <config>/<split>/*.parquet or data/<split>-000NN-of-000MM.parquet; audio as `{bytes, path}` or
//            `{array, sampling_rate}` structs, text and speaker columns named per corpus (see ./hub/columns.ts)

import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError } from '../errors.js';
import { chooseShards, describeShards, isParquet, shardOf } from './hub/layout.js';
import { openShard, readShards, shardMapping, writeKept, type ParquetShardFile } from './hub/rows.js';
import { isFile, resolveInside } from '../util/paths.js';
import type { CurateArgs, NominalFormat, Source, SourceItem, SourceOptions } from './types.js';

/** What the columns say about the corpus, for the pipeline to use instead of the source's static defaults. */
export interface ParquetInfo {
  title: string;
  language?: string;
  nominalFormat?: NominalFormat;
  expectsNormalizedText: boolean;
}

const posix = (p: string) => p.split(sep).join('/');

/** Whether a .parquet file lies within `depth` folder levels: `auto` must not walk a whole corpus tree. */
async function hasParquet(dir: string, depth: number): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.isFile() && isParquet(e.name))) return true;
  if (depth === 0) return false;
  for (const e of entries)
    if (e.isDirectory() && !e.name.startsWith('.') && (await hasParquet(join(dir, e.name), depth - 1))) return true;
  return false;
}

async function shardsOf(root: string, options: SourceOptions): Promise<ParquetShardFile[]> {
  if (options.manifest) {
    const inside = resolveInside(root, options.manifest);
    if (!inside) throw new InputError(`${options.manifest}: outside ${root}`);
    return [{ local: inside.abs, path: inside.rel, originFile: inside.rel }];
  }
  const names = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && isParquet(e.name))
    .map((e) => posix(relative(root, join(e.parentPath, e.name))))
    .filter((p) => !p.split('/').some((part) => part.startsWith('.')));
  const choice = chooseShards(
    names.map((path) => ({ path })),
    { subset: options.subset, split: options.split },
  );
  if ('problem' in choice) {
    const found =
      names.length > 0 ? ` Subsets and splits found: ${describeShards(names.map((path) => shardOf({ path })))}` : '';
    throw new InputError(`${root}: ${choice.problem}.${found}`);
  }
  return choice.shards.map((s) => ({
    local: join(root, ...s.path.split('/')),
    path: s.path,
    originFile: s.path,
    config: s.config,
    split: s.split,
  }));
}

async function* read(root: string, options: SourceOptions): AsyncIterable<SourceItem> {
  yield* readShards(await shardsOf(root, options), options);
}

async function writeCurated({ root, outDir, isKept, options }: CurateArgs) {
  return writeKept({ outDir, shards: await shardsOf(root, options), options, isKept, exists: async () => true });
}

/**
 * The mapping of the first shard that opens: a damaged shard is a finding of `read`, so it must not stop the run
 * here when others can be read. A mapping that does not fit does stop it, with the columns found.
 */
async function firstMapping(root: string, options: SourceOptions) {
  const shards = await shardsOf(root, options);
  for (const [i, shard] of shards.entries()) {
    const opened = await openShard(shard).catch((err: unknown) => {
      if (err instanceof InputError && i < shards.length - 1) return undefined;
      throw err;
    });
    if (opened) return shardMapping(shard, opened, options);
  }
  throw new InputError(`${root}: no parquet file found`);
}

async function inspect(root: string, options: SourceOptions): Promise<ParquetInfo> {
  const mapping = await firstMapping(root, options);
  return {
    title: mapping.corpus ? `${mapping.corpus.title} (parquet)` : 'Parquet files',
    language: mapping.language,
    nominalFormat: mapping.corpus?.nominalFormat,
    expectsNormalizedText: mapping.corpus?.expectsNormalizedText ?? false,
  };
}

export const parquet: Source & { inspect: typeof inspect } = {
  name: 'parquet',
  readsNamedManifest: true,
  title: 'Parquet files (Hugging Face datasets schema)',
  expectsNormalizedText: false,
  expects:
    '.parquet files with an audio struct column ({bytes, path} or {array, sampling_rate}) and a text column; --subset/--split pick <config>/<split> folders',
  detect: async (root, options) =>
    options.manifest
      ? isParquet(options.manifest) && (await isFile(join(root, options.manifest)))
      : hasParquet(root, 3),
  read,
  writeCurated,
  inspect,
};
