import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import { InputError } from '../errors.js';
import type { Finding } from '../types.js';
import type { DroppedClip } from './curated-types.js';

// Small pieces the manifest emitters and the audiofolder layout share: seconds and CSV as manifests print them,
// the reasons of a drop, a new file in curated/, and file names for audio that travels as bytes.

/** Seconds as manifests print them: to the microsecond, so 0.1 + 0.2 does not print as 0.30000000000000004. */
export const seconds = (s: number) => Math.round(s * 1e6) / 1e6;

/** A cell quoted when it holds a separator, a quote or a line break (RFC 4180). */
const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One RFC 4180 record, CRLF-terminated. */
export const csvRow = (cells: (string | number | undefined)[]) => cells.map(csvCell).join(',') + '\r\n';

/** Why a clip was dropped, one entry per error. */
export const reasonsOf = (d: DroppedClip) =>
  d.findings.filter((f: Finding) => f.severity === 'error').map((f) => ({ code: f.code, message: f.message }));

/**
 * A new file in curated/, written line by line with backpressure, gzip-compressed when its name ends in `.gz`. Never
 * replaces a file: a name the layout already used (a dataset whose own manifest is `clips.csv`) is an error naming it.
 */
export function newFile(dir: string, name: string) {
  const out = createWriteStream(join(dir, name), { flags: 'wx' });
  const gzip = name.endsWith('.gz') ? createGzip() : undefined;
  if (gzip) gzip.pipe(out);
  const sink = gzip ?? out;
  let failure: Error | undefined;
  const fail = (err: Error) =>
    (failure =
      (err as NodeJS.ErrnoException).code === 'EEXIST'
        ? new InputError(`curated/${name} is already a file of the dataset's layout; --emit cannot write it`)
        : err);
  out.on('error', fail);
  gzip?.on('error', fail);
  // Lines are gathered into 64 KiB writes: one system call (or gzip chunk) per line was most of the cost.
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    size = 0;
    if (!sink.write(chunk)) await once(sink, 'drain').catch((err: Error) => fail(err));
  };
  return {
    async write(line: string) {
      if (failure) throw failure;
      pending.push(line);
      size += line.length;
      if (size >= 1 << 16) await flush();
      if (failure) throw failure;
    },
    async close() {
      await flush();
      if (!failure) {
        sink.end();
        await once(out, 'close').catch(() => undefined);
      }
      if (failure) throw failure;
      return name;
    },
  };
}

/** A file name for audio that travels as bytes, from its id: letters, digits, `.`, `_`, `-`; the extension its name has. */
export function audioFileName(id: string, name: string): string {
  const stem =
    id
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 120) || 'clip';
  const ext = extname(name).toLowerCase();
  return `${stem}${/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.wav'}`;
}
