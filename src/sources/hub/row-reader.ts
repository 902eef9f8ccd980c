import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileMetaData, ParquetRow } from 'hyparquet';

// Row groups are decoded by hyparquet in a worker thread, under a deadline and a heap cap. A damaged page can send
// hyparquet (1.31–1.33) into an endless loop (a page header missing `definition_levels_byte_length` makes its read
// offset NaN, and the level decoder then spins on byte 0) or into allocating what a corrupt count asks; in this
// thread that would hang or end the whole run. In a worker it costs one row group: the worker is ended, the group
// becomes a finding, and a fresh worker reads on.

/**
 * Longest one row group may take to decode: Hub audio shards hold ~100 clips per group, read in well under 1 s.
 * A setting object rather than a constant so that tests can shorten it.
 */
export const rowGroupDeadline = { ms: 120_000 };
/** JS heap of the decoding worker: a row group of decoded `{array}` audio (LibriTTS-R copies) needs a few hundred MB. */
const WORKER_HEAP_MB = 2048;

const require = createRequire(import.meta.url);
// Absolute URLs, so the worker (a data: URL module, which resolves no bare names) finds the same packages, from the
// TypeScript sources and from the built package alike.
const HYPARQUET = pathToFileURL(require.resolve('hyparquet')).href;
const COMPRESSORS = pathToFileURL(require.resolve('hyparquet-compressors')).href;

const WORKER_SOURCE = `
import { parentPort } from 'node:worker_threads';
import { asyncBufferFromFile, parquetReadObjects } from ${JSON.stringify(HYPARQUET)};
import { compressors } from ${JSON.stringify(COMPRESSORS)};
let open; // the file being read, and its footer: the next message names it again only when it changes
parentPort.on('message', async ({ path, metadata, columns, rowStart, rowEnd }) => {
  try {
    if (metadata) open = { path, file: await asyncBufferFromFile(path), metadata };
    if (open?.path !== path) throw new Error('no footer for ' + path);
    // utf8: false keeps audio.bytes binary; columns annotated as strings still arrive as strings.
    const rows = await parquetReadObjects({ file: open.file, metadata: open.metadata, columns, rowStart, rowEnd, compressors, utf8: false });
    // Each clip's audio bytes in a buffer of their own, handed over rather than cloned: a cell is a view into its
    // decoded page, which a clone would copy whole and the reading thread then copy again per clip (9.3 -> 8.8 CPU s
    // for a 2 h parquet audit, 2 pairs; peak RSS 280 -> 345 MB, the clips' buffers now freed by another thread).
    const owned = new Set();
    for (const row of rows)
      for (const cell of Object.values(row))
        if (cell && cell.bytes instanceof Uint8Array && cell.bytes.byteLength > 0) {
          if (cell.bytes.byteLength !== cell.bytes.buffer.byteLength) cell.bytes = cell.bytes.slice();
          owned.add(cell.bytes.buffer);
        }
    parentPort.postMessage({ rows }, [...owned]);
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
`;
const WORKER_URL = new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`);

/** A parquet file as the reader needs it: where it is, and its footer (already read by the caller). */
export interface ReadableFile {
  path: string;
  metadata: FileMetaData;
}

/**
 * Row groups of parquet files, read one at a time in one thread; a failed read says why instead of throwing. One
 * reader serves every shard of a pass: a thread loading hyparquet and its codecs costs ~0.1-0.2 s of CPU, which a
 * reader per shard paid for each of a dataset's hundreds of shards, on each pass over them.
 */
export interface RowReader {
  read(
    file: ReadableFile,
    columns: string[],
    rowStart: number,
    rowEnd: number,
  ): Promise<{ rows: ParquetRow[] } | { error: string }>;
  close(): Promise<void>;
}

export function openRowReader(deadlineMs = rowGroupDeadline.ms): RowReader {
  let worker: Worker | undefined;
  /** The file whose footer the live thread holds. */
  let holds: string | undefined;
  const start = () => {
    const w = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // An idle reader a caller forgot to close must not keep the process alive; a read in progress is held by its timer.
    w.unref();
    holds = undefined;
    return w;
  };
  const stop = async () => {
    const w = worker;
    worker = undefined;
    await w?.terminate();
  };
  return {
    async read(file, columns, rowStart, rowEnd) {
      const w = (worker ??= start());
      const metadata = holds === file.path ? undefined : file.metadata;
      holds = file.path;
      const answer = await new Promise<{ rows: ParquetRow[] } | { error: string }>((resolve) => {
        const done = (a: { rows: ParquetRow[] } | { error: string }) => {
          clearTimeout(timer);
          w.off('message', done).off('error', failed).off('exit', exited);
          resolve(a);
        };
        const failed = (err: Error) => done({ error: err.message });
        const exited = (code: number) => done({ error: `the decoding thread ended (exit code ${code})` });
        const timer = setTimeout(
          () => done({ error: `decoding did not finish within ${deadlineMs / 1000} s` }),
          deadlineMs,
        );
        w.on('message', done).on('error', failed).on('exit', exited);
        w.postMessage({ path: file.path, metadata, columns, rowStart, rowEnd });
      });
      // A worker that failed, hung or ran out of memory is not trusted with the next group.
      if ('error' in answer) await stop();
      return answer;
    },
    close: stop,
  };
}
