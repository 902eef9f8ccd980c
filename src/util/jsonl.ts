import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface FileWriter {
  /** Resolves once the chunk is buffered within the stream's limit, so memory stays bounded. */
  write(chunk: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A file written chunk by chunk, honouring backpressure; the folder must exist. `append` keeps what is there. */
export function fileWriter(path: string, { append = false } = {}): FileWriter {
  const out: WriteStream = createWriteStream(path, { flags: append ? 'a' : 'w' });
  let failure: Error | undefined;
  out.on('error', (err) => (failure = err));
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async close() {
      out.end();
      if (!out.writableFinished && !failure) await once(out, 'finish');
      if (failure) throw failure;
    },
  };
}

/** Appends one JSON object per line, so results are on disk as they finish. */
export function jsonlWriter(path: string, options: { append?: boolean } = {}) {
  const file = fileWriter(path, options);
  return {
    write: (value: unknown) => file.write(JSON.stringify(value) + '\n'),
    close: () => file.close(),
  };
}
