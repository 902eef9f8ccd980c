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
import { parentPort, workerData } from 'node:worker_threads';
import { asyncBufferFromFile, parquetReadObjects } from ${JSON.stringify(HYPARQUET)};
import { compressors } from ${JSON.stringify(COMPRESSORS)};
const file = await asyncBufferFromFile(workerData.path);
parentPort.on('message', async ({ columns, rowStart, rowEnd }) => {
  try {
    // utf8: false keeps audio.bytes binary; columns annotated as strings still arrive as strings.
    const rows = await parquetReadObjects({ file, metadata: workerData.metadata, columns, rowStart, rowEnd, compressors, utf8: false });
    parentPort.postMessage({ rows });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
`;
const WORKER_URL = new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`);

/** Row groups of one parquet file, read one at a time; a failed read says why instead of throwing. */
export interface RowReader {
  read(columns: string[], rowStart: number, rowEnd: number): Promise<{ rows: ParquetRow[] } | { error: string }>;
  close(): Promise<void>;
}

export function openRowReader(path: string, metadata: FileMetaData, deadlineMs = rowGroupDeadline.ms): RowReader {
  let worker: Worker | undefined;
  const start = () => {
    const w = new Worker(WORKER_URL, {
      workerData: { path, metadata },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    // An idle reader a caller forgot to close must not keep the process alive; a read in progress is held by its timer.
    w.unref();
    return w;
  };
  const stop = async () => {
    const w = worker;
    worker = undefined;
    await w?.terminate();
  };
  return {
    async read(columns, rowStart, rowEnd) {
      const w = (worker ??= start());
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
        w.postMessage({ columns, rowStart, rowEnd });
      });
      // A worker that failed, hung or ran out of memory is not trusted with the next group.
      if ('error' in answer) await stop();
      return answer;
    },
    close: stop,
  };
}
