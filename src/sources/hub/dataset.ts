import type { SourceOptions } from '../types.js';
import {
  CONVERTED_REVISION,
  hubSettings,
  listRepoFiles,
  parseHubUri,
  resolveCommit,
  type HubDatasetRef,
  type HubSettings,
  type RepoFile,
} from './client.js';
import { HubError } from './errors.js';
import { chooseShards, describeShards, isParquet, shardOf, type Shard } from './layout.js';
import type { ParquetShardFile } from './rows.js';

/** What a Hub read will fetch: the revision actually read (maybe the converted branch), its commit, and the shards. */
export interface HubPlan {
  settings: HubSettings;
  /** The repo and the revision read: the user's, or `refs/convert/parquet` when theirs holds no parquet for the subset. */
  ref: HubDatasetRef;
  /** The commit sha of that revision when the Hub gave one, else the revision name: file URLs and cache keys use it. */
  at: string;
  config: string;
  shards: Shard[];
}

interface Listed {
  ref: HubDatasetRef;
  at: string;
  files: RepoFile[];
}

async function list(settings: HubSettings, ref: HubDatasetRef): Promise<Listed> {
  const at = (await resolveCommit(settings, ref)) ?? ref.revision;
  return { ref, at, files: await listRepoFiles(settings, ref, at) };
}

/** The converted branch, or undefined when the Hub never converted this dataset. */
async function listConverted(settings: HubSettings, repo: string): Promise<Listed | undefined> {
  try {
    return await list(settings, { repo, revision: CONVERTED_REVISION });
  } catch (err) {
    if (err instanceof HubError && err.status === 404) return undefined;
    throw err;
  }
}

function summary(listed: Listed): string {
  const parquet = listed.files.filter((f) => isParquet(f.path));
  if (parquet.length > 0) return `${listed.ref.revision} has ${describeShards(parquet.map(shardOf))}`;
  const names = listed.files.map((f) => f.path);
  return `${listed.ref.revision} has no parquet (files: ${names.slice(0, 8).join(', ')}${names.length > 8 ? `, … ${names.length} in all` : ''})`;
}

/**
 * Lists the dataset's revision and picks the parquet shards for `options.subset`/`options.split`. When the revision has
 * none that fit (a script-based dataset such as keithito/lj_speech), the Hub's converted branch is tried.
 */
export async function planHubRead(
  uri: string,
  options: SourceOptions,
  env?: Record<string, string | undefined>,
): Promise<HubPlan> {
  const settings = hubSettings(options, env);
  const ref = parseHubUri(uri);
  const wanted = { subset: options.subset, split: options.split };
  const own = await list(settings, ref);
  const first = chooseShards(own.files, wanted);
  if ('shards' in first) return { settings, ref: own.ref, at: own.at, config: first.config, shards: first.shards };
  if (first.ambiguous)
    throw new HubError(
      `hf://datasets/${ref.repo}@${ref.revision}: ${first.problem}. Subsets and splits: ${summary(own)}`,
    );
  const converted = ref.revision === CONVERTED_REVISION ? undefined : await listConverted(settings, ref.repo);
  if (converted) {
    const second = chooseShards(converted.files, wanted);
    if ('shards' in second)
      return { settings, ref: converted.ref, at: converted.at, config: second.config, shards: second.shards };
  }
  const seen = [own, ...(converted ? [converted] : [])].map(summary).join('; ');
  const asked = [
    wanted.subset && `subset ${JSON.stringify(wanted.subset)}`,
    wanted.split && `split ${JSON.stringify(wanted.split)}`,
  ]
    .filter(Boolean)
    .join(', ');
  throw new HubError(
    `hf://datasets/${ref.repo}: no parquet files${asked ? ` for ${asked}` : ''} on ${ref.revision}${converted ? ` or ${CONVERTED_REVISION}` : ` (and no ${CONVERTED_REVISION} branch)`}. ${seen}. Pick them with --subset and --split`,
  );
}

export const originOf = (ref: HubDatasetRef, path: string) =>
  `hf://datasets/${ref.repo}@${encodeURIComponent(ref.revision)}/${path}`;

/** The shards as the row reader sees them, with where they are (or will be) cached. */
export function shardFiles(plan: HubPlan, localOf: (shard: Shard) => string): ParquetShardFile[] {
  return plan.shards.map((s) => ({
    local: localOf(s),
    path: s.path,
    originFile: originOf(plan.ref, s.path),
    config: s.config,
    split: s.split,
  }));
}
