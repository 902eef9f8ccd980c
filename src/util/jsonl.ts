import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Appends one JSON object per line, honouring backpressure, so results are on disk as they finish. */
export function jsonlWriter(path: string) {
  const out: WriteStream = createWriteStream(path, { flags: 'w' });
  let failure: Error | undefined;
  out.on('error', (err) => (failure = err));
  return {
    async write(value: unknown): Promise<void> {
      if (failure) throw failure;
      if (!out.write(JSON.stringify(value) + '\n')) await once(out, 'drain');
    },
    async close(): Promise<void> {
      out.end();
      if (!out.writableFinished) await once(out, 'finish');
      if (failure) throw failure;
    },
  };
}
