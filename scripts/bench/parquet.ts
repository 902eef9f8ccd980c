// The benchmark's WAV set as a Hugging Face dataset: parquet shards in keithito/lj_speech's schema (the WAV
// files' bytes in an `audio` struct), read from disk by the `parquet` source and over HTTP by the `hub` source
// from a stand-in Hub on 127.0.0.1 (test/helpers/fake-hub.ts).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaElement } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { startFakeHub, type FakeHub } from '../../test/helpers/fake-hub.js';
import type { TiledDataset } from './dataset.js';

const string = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});
const AUDIO: SchemaElement[] = [
  { name: 'audio', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];
const value = { dtype: 'string', _type: 'Value' };
// `datasets` writes audio shards in row groups of about 100 rows.
const ROW_GROUP = 100;

export interface ParquetDataset {
  /** The folder holding `data/train-*.parquet`: the `parquet` source's root. */
  root: string;
  /** Shard paths inside the repo → files on disk. */
  files: Record<string, string>;
}

/** Writes `set` (its metadata.csv rows and wav bytes, in order) as `shards` parquet files under `root/data`. */
export function buildParquetDataset(set: TiledDataset, root: string, shards: number): ParquetDataset {
  const rows = readFileSync(join(set.root, 'metadata.csv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('|'));
  mkdirSync(join(root, 'data'), { recursive: true });
  const files: Record<string, string> = {};
  const per = Math.ceil(rows.length / shards);
  for (let k = 0; k < shards; k++) {
    const part = rows.slice(k * per, (k + 1) * per);
    const first = k * per;
    const rel = `data/train-${String(k).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.parquet`;
    const columns = [
      { name: 'id', data: part.map((r) => r[0]), schema: [string('id')] },
      {
        name: 'audio',
        data: part.map((r, i) => ({ bytes: new Uint8Array(readFileSync(set.wavs[first + i])), path: `${r[0]}.wav` })),
        schema: AUDIO,
      },
      { name: 'file', data: part.map((r) => `LJSpeech-1.1/wavs/${r[0]}.wav`), schema: [string('file')] },
      { name: 'text', data: part.map((r) => r[1]), schema: [string('text')] },
      { name: 'normalized_text', data: part.map((r) => r[2] ?? r[1]), schema: [string('normalized_text')] },
    ];
    const features = { id: value, audio: { sampling_rate: 22050, _type: 'Audio' }, file: value, text: value };
    parquetWriteFile({
      filename: join(root, rel),
      columnData: columns.map((c) => ({ name: c.name, data: c.data as never })),
      schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => c.schema)],
      rowGroupSize: ROW_GROUP,
      kvMetadata: [
        { key: 'huggingface', value: JSON.stringify({ info: { features: { ...features, normalized_text: value } } }) },
      ],
    });
    files[rel] = join(root, rel);
  }
  return { root, files };
}

export const BENCH_REPO = 'bench/lj_speech';

/** A stand-in Hub serving the shards as `hf://datasets/bench/lj_speech` (main branch, with a dataset card). */
export async function serveParquet(set: ParquetDataset): Promise<FakeHub> {
  const readme = join(set.root, 'README.md');
  writeFileSync(readme, '---\nlicense: other\n---\n');
  const sha = Buffer.from('bench-lj-speech.....').toString('hex').slice(0, 40);
  return startFakeHub({
    repos: { [BENCH_REPO]: { branches: { main: { sha, files: { ...set.files, 'README.md': readme } } } } },
  });
}
