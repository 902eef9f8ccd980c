// Hugging Face Hub — `hf://datasets/<owner>/<name>[@revision]`: the Hub copies of LJSpeech, VCTK, LibriTTS(-R)
// and MLS (and any audio dataset in the same schemas), streamed shard by shard.
//   home:    https://huggingface.co/datasets
//   licence: the corpus' own (named on its dataset card; gated sets need HF_TOKEN and accepted terms)
//   layout:  the repo's parquet shards, else the `refs/convert/parquet` branch; see ./hub/layout.ts
// Shards are downloaded one at a time into the cache (so the first clips are audited while later shards are not
// yet fetched) and read row group by row group.

import { cachePath, fetchToCache } from './hub/cache.js';
import { planHubRead, shardFiles, type HubPlan } from './hub/dataset.js';
import { openShard, readShards, shardMapping, writeKept } from './hub/rows.js';
import type { CurateArgs, Source, SourceItem, SourceOptions } from './types.js';
import type { ParquetInfo } from './parquet.js';
import { InputError } from '../errors.js';
import { isFile } from '../util/paths.js';

export const HUB_PREFIX = 'hf://';

const localOf = (plan: HubPlan) => (s: { path: string; size?: number }) =>
  cachePath({ settings: plan.settings, ref: plan.ref, at: plan.at, path: s.path });

async function* read(root: string, options: SourceOptions): AsyncIterable<SourceItem> {
  const plan = await planHubRead(root, options);
  const files = shardFiles(plan, localOf(plan));
  async function* fetched() {
    for (let i = 0; i < files.length; i += 1) {
      const { path, size } = plan.shards[i];
      await fetchToCache({ settings: plan.settings, ref: plan.ref, at: plan.at, path, size });
      yield files[i];
    }
  }
  yield* readShards(fetched(), options);
}

/** `kept.jsonl` from the cached shards' id column: nothing is downloaded again. */
async function writeCurated({ root, outDir, isKept, options }: CurateArgs) {
  const plan = await planHubRead(root, options);
  return writeKept({
    outDir,
    shards: shardFiles(plan, localOf(plan)),
    options,
    isKept,
    extra: { repo: plan.ref.repo, revision: plan.at, ref: plan.ref.revision },
    exists: (shard) => isFile(shard.local),
  });
}

/**
 * The corpus the columns of the first shard that opens point at (LJSpeech, VCTK, LibriTTS, MLS): its title,
 * language, published format and whether its transcripts are normalized. Downloads shards in order until one
 * opens; a damaged shard is a finding of `read` (which reuses the cached copy), so it must not stop the run here.
 * Columns that do not fit stop it, with the columns found.
 */
async function inspect(root: string, options: SourceOptions): Promise<ParquetInfo> {
  const plan = await planHubRead(root, options);
  const files = shardFiles(plan, localOf(plan));
  for (const [i, shard] of files.entries()) {
    const { path, size } = plan.shards[i];
    await fetchToCache({ settings: plan.settings, ref: plan.ref, at: plan.at, path, size });
    const opened = await openShard(shard).catch((err: unknown) => {
      if (err instanceof InputError && i < files.length - 1) return undefined;
      throw err;
    });
    if (!opened) continue;
    const mapping = shardMapping(shard, opened, options);
    const corpus = mapping.corpus;
    return {
      title: `${corpus ? `${corpus.title}, ` : ''}Hub dataset ${plan.ref.repo}@${plan.ref.revision} (${plan.config})`,
      language: mapping.language,
      nominalFormat: corpus?.nominalFormat,
      expectsNormalizedText: corpus?.expectsNormalizedText ?? false,
    };
  }
  throw new InputError(`${root}: the Hub lists no parquet shard for this config and split`);
}

export const hub: Source & { inspect: typeof inspect } = {
  name: 'hub',
  title: 'Hugging Face Hub dataset (parquet)',
  expectsNormalizedText: false,
  expects: 'a hf://datasets/<owner>/<name>[@revision] URI (choose the config with --subset and the split with --split)',
  detect: async (root) => root.startsWith(HUB_PREFIX),
  read,
  writeCurated,
  inspect,
};
