// Which parquet files make up a config ("subset") and split, from the Hub's file-naming conventions:
//   refs/convert/parquet   <config>/<split>/0000.parquet, <config>/partial-<split>/0000.parquet (large sets, truncated)
//   uploaded (push_to_hub)  data/<split>-00000-of-00003[-<hash>].parquet, <config>/<split>-00000-of-00001.parquet
//   folder per split        data/<split>/<anything>.parquet (LibriTTS-R on `main`)
// A layout these rules miss is still readable through refs/convert/parquet, which the Hub writes for every viewable set.

export interface ParquetFile {
  path: string;
  size?: number;
}

export interface Shard extends ParquetFile {
  config: string;
  /** Undefined when neither the folders nor the file name name one. */
  split?: string;
}

const SHARDED = /^(.+?)-\d{5}-of-\d{5}(?:-[^.]*)?\.parquet$/i;

export const isParquet = (path: string) => /\.parquet$/i.test(path);

export function shardOf(file: ParquetFile): Shard {
  const parts = file.path.split('/');
  const name = parts.pop()!;
  const fromName = SHARDED.exec(name)?.[1];
  const [first, second] = parts;
  if (parts.length >= 2)
    return { ...file, config: first === 'data' ? 'default' : first, split: second.replace(/^partial-/, '') };
  if (parts.length === 1) return { ...file, config: first === 'data' ? 'default' : first, split: fromName };
  return { ...file, config: 'default', split: fromName };
}

/** `main: train, validation; other: test`, for messages. */
export function describeShards(shards: Shard[]): string {
  const byConfig = new Map<string, Set<string>>();
  for (const s of shards) {
    const splits = byConfig.get(s.config) ?? new Set<string>();
    splits.add(s.split ?? '(unnamed)');
    byConfig.set(s.config, splits);
  }
  return [...byConfig].map(([config, splits]) => `${config}: ${[...splits].join(', ')}`).join('; ');
}

export type ShardChoice = { shards: Shard[]; config: string } | { problem: string; ambiguous?: boolean };

/**
 * The shards of the wanted subset and split, in path order. No subset: the only one, or `default`; several without a
 * default is ambiguous (the caller says which exist). No split: every split of the subset, each clip tagged with its split.
 */
export function chooseShards(files: ParquetFile[], wanted: { subset?: string; split?: string }): ShardChoice {
  const all = files
    .filter((f) => isParquet(f.path))
    .map(shardOf)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (all.length === 0) return { problem: 'no .parquet files' };
  const configs = [...new Set(all.map((s) => s.config))];
  let config = wanted.subset;
  if (config === undefined) {
    if (configs.length === 1) config = configs[0];
    else if (configs.includes('default')) config = 'default';
    else return { problem: `several subsets (${configs.join(', ')}); pick one with --subset`, ambiguous: true };
  }
  const inConfig = all.filter((s) => s.config === config);
  if (inConfig.length === 0) return { problem: `no subset ${JSON.stringify(config)}` };
  const shards = wanted.split === undefined ? inConfig : inConfig.filter((s) => s.split === wanted.split);
  if (shards.length === 0)
    return { problem: `no split ${JSON.stringify(wanted.split)} in subset ${JSON.stringify(config)}` };
  return { shards, config };
}
