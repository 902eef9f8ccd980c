import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  type AsyncBuffer,
  type FileMetaData,
  type ParquetRow,
} from 'hyparquet';
import { InputError } from '../../errors.js';
import { jsonlWriter } from '../../util/jsonl.js';
import type { CuratedOutput, SourceItem, SourceOptions } from '../types.js';
import type { AudioRef, Utterance } from '../../types.js';
import { columnsOf, mapColumns, type ColumnInfo, type Mapping } from './columns.js';
import { openRowReader, type RowReader } from './row-reader.js';

// The row-group reader shared by the `hub` and `parquet` sources. Memory is bounded by one decoded row group (Hub
// shards of audio hold ~100 rows per group), never a whole file. A shard or row group that cannot be read becomes a
// `source.unreadable_shard` finding naming the file (and rows), and the other shards' and groups' rows are read.

/** One parquet file as a source sees it. */
export interface ParquetShardFile {
  /** Where the bytes are on disk (the cache for Hub files). */
  local: string;
  /** Path inside the repo or the root: fallback clip ids are `<path>#<row>`. */
  path: string;
  /** `origin.file`: `hf://datasets/<repo>@<revision>/<path>` or `path`. */
  originFile: string;
  /** The config ("subset") the shard belongs to: MLS names its language this way. */
  config?: string;
  split?: string;
}

export interface OpenedShard {
  /** Where the bytes are on disk, for the thread that decodes the row groups. */
  local: string;
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: ColumnInfo[];
}

export async function openShard(shard: ParquetShardFile): Promise<OpenedShard> {
  const file = await asyncBufferFromFile(shard.local);
  try {
    const metadata = await parquetMetadataAsync(file);
    return { local: shard.local, file, metadata, columns: columnsOf(metadata) };
  } catch (err) {
    const cached = shard.originFile.startsWith('hf://')
      ? `; delete the cached copy ${shard.local} to download it again`
      : '';
    throw new InputError(`${shard.originFile}: not a readable parquet file (${(err as Error).message})${cached}`);
  }
}

export function shardMapping(shard: ParquetShardFile, opened: OpenedShard, options: SourceOptions): Mapping {
  const mapped = mapColumns({
    columns: opened.columns,
    metadata: opened.metadata,
    options: { ...options, subset: options.subset ?? shard.config },
  });
  if ('error' in mapped) throw new InputError(`${shard.originFile}: ${mapped.error}`);
  return mapped;
}

/** One row group's rows, or why it could not be read; `start`/`end` are the file's row indexes. */
export type RowGroup = { group: number; start: number; end: number } & ({ rows: ParquetRow[] } | { error: string });

/** Rows of one row group at a time, decoded by `reader`'s thread under a deadline (see ./row-reader.ts). */
export async function* rowGroups(opened: OpenedShard, columns: string[], reader: RowReader): AsyncGenerator<RowGroup> {
  const file = { path: opened.local, metadata: opened.metadata };
  let start = 0;
  for (const [group, { num_rows }] of opened.metadata.row_groups.entries()) {
    const end = start + Number(num_rows);
    yield { group, start, end, ...(await reader.read(file, columns, start, end)) };
    start = end;
  }
}

/** What a source yields for a shard, or a row group of it, that cannot be read: the run goes on with the rest. */
function unreadable(shard: ParquetShardFile, why: string, rows?: RowGroup & { error: string }): SourceItem {
  const span = rows && (rows.end - rows.start === 1 ? `row ${rows.start}` : `rows ${rows.start}–${rows.end - 1}`);
  const where = rows ? `${shard.originFile} ${span} (row group ${rows.group})` : shard.originFile;
  return {
    finding: {
      code: 'source.unreadable_shard',
      severity: 'error',
      message: `${where}: ${why}; ${rows ? 'these rows are' : 'its rows are'} skipped`,
      origin: rows ? { file: shard.originFile, row: rows.start } : { file: shard.originFile },
    },
  };
}

const decoder = new TextDecoder();

/** A cell as text: strings as they are, bytes decoded, numbers and bigints printed; empty → undefined. */
function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = value instanceof Uint8Array ? decoder.decode(value) : String(value);
  return s === '' ? undefined : s;
}

/** The column values a mapping needs, so other (possibly large) columns are never decoded. */
export function mappedColumns(mapping: Mapping): string[] {
  return [
    ...new Set(
      [...Object.values(mapping.fields), ...(mapping.idFromFile ? [mapping.idFromFile] : [])].filter(
        (c): c is string => c !== undefined,
      ),
    ),
  ];
}

export function clipIdOf(row: ParquetRow, index: number, shard: ParquetShardFile, mapping: Mapping): string {
  const explicit = mapping.fields.id ? text(row[mapping.fields.id])?.trim() : undefined;
  if (explicit) return explicit;
  const file = mapping.idFromFile ? text(row[mapping.idFromFile]) : undefined;
  if (file) return basename(file, extname(file));
  return `${shard.path}#${index}`;
}

function audioOf(value: unknown, index: number, mapping: Mapping): AudioRef | string {
  const cell = value as
    { bytes?: unknown; path?: unknown; array?: unknown; sampling_rate?: unknown } | null | undefined;
  if (!cell) return 'audio is null';
  const name = text(cell.path) ?? `${index}.wav`;
  if (mapping.audioKind === 'bytes') {
    if (!(cell.bytes instanceof Uint8Array))
      return cell.path ? `audio holds only a path (${name}), no bytes` : 'audio has no bytes';
    // The cell is a view into its whole decoded page: posting that view to a worker clones the page with it (every
    // row's audio, for each row), and holding it keeps the page alive. A copy of its own bytes does neither.
    const bytes = cell.bytes.byteLength === cell.bytes.buffer.byteLength ? cell.bytes : cell.bytes.slice();
    return { kind: 'bytes', bytes, name };
  }
  const samples = cell.array;
  if (!Array.isArray(samples) && !ArrayBuffer.isView(samples)) return 'audio has no array';
  const rate =
    cell.sampling_rate === null || cell.sampling_rate === undefined ? mapping.featureRate : Number(cell.sampling_rate);
  if (rate === undefined) return 'audio has no sampling_rate (in the row or the dataset features)';
  return { kind: 'pcm', samples: Float32Array.from(samples as ArrayLike<number>), sampleRate: rate, name };
}

/** One row → utterance, or the reason it cannot be audited (a finding naming file and row). */
export function rowItem(row: ParquetRow, index: number, shard: ParquetShardFile, mapping: Mapping): SourceItem {
  const origin = { file: shard.originFile, row: index };
  const audio = audioOf(row[mapping.fields.audio!], index, mapping);
  if (typeof audio === 'string') {
    return {
      finding: {
        code: 'source.malformed_line',
        severity: 'error',
        message: `${shard.originFile} row ${index}: ${audio}; row skipped`,
        origin,
      },
    };
  }
  const f = mapping.fields;
  const cell = (column: string | undefined) =>
    column === undefined ? undefined : text(row[column])?.trim() || undefined;
  const utterance: Utterance = {
    id: clipIdOf(row, index, shard, mapping),
    audio,
    text: text(row[f.text!]) ?? '',
    normalizedText: f.normalizedText ? text(row[f.normalizedText]) : undefined,
    speaker: cell(f.speaker) ?? mapping.speaker,
    gender: cell(f.gender) ?? mapping.gender,
    accent: cell(f.accent),
    language: cell(f.language) ?? mapping.language,
    split: cell(f.split) ?? shard.split,
    origin,
  };
  return { utterance };
}

/**
 * Every row of the shard, row group by row group. A shard whose footer or columns cannot be read, or a row group
 * that cannot be decoded, is a finding; the first shard's columns were already checked by `inspect`, where a
 * mapping that does not fit stops the run with the columns found.
 */
export async function* readShards(
  shards: Iterable<ParquetShardFile> | AsyncIterable<ParquetShardFile>,
  options: SourceOptions,
): AsyncIterable<SourceItem> {
  const reader = openRowReader();
  try {
    for await (const shard of shards) yield* readShard(shard, options, reader);
  } finally {
    await reader.close();
  }
}

async function* readShard(
  shard: ParquetShardFile,
  options: SourceOptions,
  reader: RowReader,
): AsyncIterable<SourceItem> {
  let opened: OpenedShard;
  let mapping: Mapping;
  try {
    opened = await openShard(shard);
    mapping = shardMapping(shard, opened, options);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    yield unreadable(shard, err.message.slice(shard.originFile.length + 2));
    return;
  }
  for await (const group of rowGroups(opened, mappedColumns(mapping), reader)) {
    if ('error' in group) {
      yield unreadable(shard, `cannot be read (${group.error})`, group);
      continue;
    }
    const { start, rows } = group;
    for (let i = 0; i < rows.length; i += 1) yield rowItem(rows[i], start + i, shard, mapping);
  }
}

/** Clip ids in row order, decoding only the id column (or none: fallback ids need only the row counts). */
async function* idsOf(
  shard: ParquetShardFile,
  opened: OpenedShard,
  mapping: Mapping,
  reader: RowReader,
): AsyncGenerator<{ row: number; id: string }> {
  const columns = [mapping.fields.id, mapping.idFromFile].filter((c): c is string => c !== undefined);
  if (columns.length === 0) {
    const total = Number(opened.metadata.num_rows);
    for (let row = 0; row < total; row += 1) yield { row, id: `${shard.path}#${row}` };
    return;
  }
  for await (const group of rowGroups(opened, columns, reader)) {
    // A group that cannot be read was reported by the audit and none of its rows kept.
    if ('error' in group) continue;
    const { start, rows } = group;
    for (let i = 0; i < rows.length; i += 1) yield { row: start + i, id: clipIdOf(rows[i], start + i, shard, mapping) };
  }
}

/**
 * `kept.jsonl`: one line per kept row (`extra` fields such as repo and revision, then file, row, id), so a training script
 * can filter the same parquet files. Only the id column is read back; shards never downloaded (a `--limit` run) are skipped.
 */
export async function writeKept(args: {
  outDir: string;
  shards: ParquetShardFile[];
  options: SourceOptions;
  isKept: (id: string) => boolean;
  extra?: Record<string, string>;
  exists: (shard: ParquetShardFile) => Promise<boolean>;
}): Promise<CuratedOutput> {
  await mkdir(args.outDir, { recursive: true });
  const out = jsonlWriter(join(args.outDir, 'kept.jsonl'));
  let kept = 0;
  let dropped = 0;
  const reader = openRowReader();
  try {
    for (const shard of args.shards) {
      if (!(await args.exists(shard))) continue;
      // A shard that cannot be opened was a finding of the audit, and none of its rows was kept.
      const opened = await openShard(shard).catch((err: unknown) => {
        if (err instanceof InputError) return undefined;
        throw err;
      });
      if (!opened) continue;
      const mapping = shardMapping(shard, opened, args.options);
      for await (const { row, id } of idsOf(shard, opened, mapping, reader)) {
        if (!args.isKept(id)) {
          dropped += 1;
          continue;
        }
        kept += 1;
        await out.write({ ...args.extra, file: shard.path, row, id });
      }
    }
  } finally {
    await Promise.all([out.close(), reader.close()]);
  }
  return { files: ['kept.jsonl'], kept, dropped };
}
