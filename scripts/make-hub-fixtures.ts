// Builds parquet shards from the real clips in test/fixtures/real, in the schemas the Hub copies use
// (keithito/lj_speech, mythicinfinity/libritts_r), plus the repo layouts a fake Hub serves them under. Used by test/hub.test.ts;
// run by hand with: npx tsx scripts/make-hub-fixtures.ts <dir>
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parquetWriteFile } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { decodeFile } from '../src/audio/decode.js';

const SHARED = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real');

/** A repo as the fake Hub serves it: branch (or `refs/…`) → its commit and its files (path in repo → file on disk). */
export interface FixtureRepo {
  /** Set for a gated repo: file downloads need `Authorization: Bearer <token>`. */
  gatedToken?: string;
  branches: Record<string, { sha: string; files: Record<string, string> }>;
}

export interface HubFixtures {
  repos: Record<string, FixtureRepo>;
  /** The LJSpeech shards as a local folder (`main/train/000N.parquet`), for the `parquet` source. */
  ljspeechParquetDir: string;
  /** Clip ids per LJSpeech shard, in row order. */
  ljspeechShards: string[][];
  libriTtsIds: string[];
}

/** HF's Audio feature as parquet: struct<bytes: binary, path: string>. */
const AUDIO_BYTES: SchemaElement[] = [
  { name: 'audio', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];
/** Decoded audio as some Hub sets store it: struct<array: list<double>, sampling_rate: int64>. */
const AUDIO_ARRAY: SchemaElement[] = [
  { name: 'audio', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'array', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'sampling_rate', type: 'INT64', repetition_type: 'OPTIONAL' },
];
const string = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

/** The `datasets` library's schema metadata, where the audio sampling rate lives. */
function hfMetadata(features: Record<string, unknown>) {
  return [{ key: 'huggingface', value: JSON.stringify({ info: { features } }) }];
}
const value = { dtype: 'string', _type: 'Value' };

interface Column {
  name: string;
  data: unknown[];
  schema: SchemaElement[];
}

function writeShard(file: string, columns: Column[], kv: { key: string; value: string }[], rowGroupSize: number) {
  mkdirSync(path.dirname(file), { recursive: true });
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => c.schema)];
  parquetWriteFile({
    filename: file,
    columnData: columns.map((c) => ({ name: c.name, data: c.data as never })),
    schema,
    rowGroupSize,
    kvMetadata: kv,
  });
}

/** LJSpeech rows in keithito/lj_speech's schema: id, audio{bytes,path}, file, text, normalized_text. */
export function ljShard(file: string, rows: string[][]) {
  const wav = (id: string) => new Uint8Array(readFileSync(path.join(SHARED, 'ljspeech', 'wavs', `${id}.wav`)));
  writeShard(
    file,
    [
      { name: 'id', data: rows.map((r) => r[0]), schema: [string('id')] },
      { name: 'audio', data: rows.map((r) => ({ bytes: wav(r[0]), path: `${r[0]}.wav` })), schema: AUDIO_BYTES },
      { name: 'file', data: rows.map((r) => `LJSpeech-1.1/wavs/${r[0]}.wav`), schema: [string('file')] },
      { name: 'text', data: rows.map((r) => r[1]), schema: [string('text')] },
      { name: 'normalized_text', data: rows.map((r) => r[2]), schema: [string('normalized_text')] },
    ],
    hfMetadata({
      id: value,
      audio: { sampling_rate: 22050, _type: 'Audio' },
      file: value,
      text: value,
      normalized_text: value,
    }),
    2, // two rows per row group: the reader must stream across groups and files
  );
}

/** LibriTTS clips in mythicinfinity/libritts_r's columns, audio decoded to {array, sampling_rate}. */
async function libriShard(file: string): Promise<string[]> {
  const root = path.join(SHARED, 'libritts', 'test-clean');
  const wavs = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.wav'))
    .sort();
  const rows = [];
  for (const rel of wavs) {
    const id = path.basename(rel, '.wav');
    const { audio } = await decodeFile(path.join(root, rel));
    const text = readFileSync(path.join(root, rel.replace(/\.wav$/, '.normalized.txt')), 'utf8').trim();
    rows.push({ id, text, audio: { array: Array.from(audio.samples), sampling_rate: BigInt(audio.sampleRate) }, rel });
  }
  writeShard(
    file,
    [
      { name: 'audio', data: rows.map((r) => r.audio), schema: AUDIO_ARRAY },
      { name: 'text_normalized', data: rows.map((r) => r.text), schema: [string('text_normalized')] },
      { name: 'text_original', data: rows.map((r) => r.text), schema: [string('text_original')] },
      { name: 'speaker_id', data: rows.map((r) => r.id.split('_')[0]), schema: [string('speaker_id')] },
      { name: 'path', data: rows.map((r) => `test-clean/${r.rel}`), schema: [string('path')] },
      { name: 'chapter_id', data: rows.map((r) => r.id.split('_')[1]), schema: [string('chapter_id')] },
      { name: 'id', data: rows.map((r) => r.id), schema: [string('id')] },
    ],
    hfMetadata({
      audio: { sampling_rate: 24000, _type: 'Audio' },
      text_normalized: value,
      text_original: value,
      speaker_id: value,
      path: value,
      chapter_id: value,
      id: value,
    }),
    2,
  );
  return rows.map((r) => r.id);
}

/** A schema no mapping knows: no audio struct, no text-like column. */
function oddShard(file: string) {
  writeShard(
    file,
    [
      { name: 'key', data: ['a', 'b'], schema: [string('key')] },
      {
        name: 'waveform',
        data: [new Uint8Array([1, 2]), new Uint8Array([3])],
        schema: [{ name: 'waveform', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' }],
      },
      { name: 'caption', data: ['x', 'y'], schema: [string('caption')] },
    ],
    [],
    2,
  );
}

const sha = (seed: string) => Buffer.from(seed.padEnd(20, '.')).toString('hex').slice(0, 40);

export async function makeHubFixtures(dir: string): Promise<HubFixtures> {
  const rows = readFileSync(path.join(SHARED, 'ljspeech', 'metadata.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('|'));
  const ljShards = [rows.slice(0, 4), rows.slice(4)];
  const ljDir = path.join(dir, 'lj_speech-parquet');
  const ljFiles: Record<string, string> = {};
  ljShards.forEach((shard, i) => {
    const rel = `main/train/000${i}.parquet`;
    ljShard(path.join(ljDir, rel), shard);
    ljFiles[rel] = path.join(ljDir, rel);
  });
  const script = path.join(dir, 'lj_speech.py');
  writeFileSync(
    script,
    '# loading script: the Hub viewer cannot run it, so the parquet lives on refs/convert/parquet\n',
  );
  const readme = path.join(dir, 'README.md');
  writeFileSync(readme, '---\nlicense: other\n---\n');

  const libriFile = path.join(dir, 'libritts_r', 'test.clean-00000-of-00001.parquet');
  const libriTtsIds = await libriShard(libriFile);
  const oddFile = path.join(dir, 'odd', 'train-00000-of-00001.parquet');
  oddShard(oddFile);

  const gatedFiles = Object.fromEntries(
    Object.values(ljFiles).map((abs, i) => [`data/train-0000${i}-of-00002.parquet`, abs]),
  );
  const repos: Record<string, FixtureRepo> = {
    // Script-based on main; the parquet is only on the Hub's converted branch.
    'keithito/lj_speech': {
      branches: {
        main: { sha: sha('lj-main'), files: { 'lj_speech.py': script, 'README.md': readme } },
        'refs/convert/parquet': { sha: sha('lj-converted'), files: ljFiles },
      },
    },
    'mythicinfinity/libritts_r': {
      branches: {
        main: {
          sha: sha('libritts-main'),
          files: { 'README.md': readme, 'data/test.clean/test.clean-00000-of-00001.parquet': libriFile },
        },
      },
    },
    'tts-audit/gated-lj': {
      gatedToken: 'hf_granted',
      branches: { main: { sha: sha('gated-main'), files: gatedFiles } },
    },
    'tts-audit/odd-schema': {
      branches: { main: { sha: sha('odd-main'), files: { 'data/train-00000-of-00001.parquet': oddFile } } },
    },
    'tts-audit/no-parquet': {
      branches: { main: { sha: sha('none-main'), files: { 'README.md': readme, 'clips.zip': script } } },
    },
  };
  return { repos, ljspeechParquetDir: ljDir, ljspeechShards: ljShards.map((s) => s.map((r) => r[0])), libriTtsIds };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = path.resolve(process.argv[2] ?? 'hub-fixtures');
  const made = await makeHubFixtures(dir);
  console.log(JSON.stringify(made, null, 2));
}
