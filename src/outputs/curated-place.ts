import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { CuratedConfig } from '../config/curated-schema.js';
import { writeTrimmed, type TrimOutcome } from './curated-trim.js';

export type AudioMode = CuratedConfig['audio'];

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;
// Filesystems without symlinks (FAT, some network mounts, Windows without the privilege) say so with these.
const NO_SYMLINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EINVAL']);
const NO_HARDLINK = new Set([...NO_SYMLINK, 'EXDEV', 'EMLINK', 'EACCES']);

/**
 * Puts files into a new folder (`dir`, made by the caller, empty): links to the dataset's audio and copies of its
 * small companions. Nothing here follows or replaces what is already there: an existing name is reported as
 * `exists` (two segments of one file share it), never overwritten.
 */
export async function openPlacer(dir: string, mode: AudioMode) {
  // Links are computed between real paths: `dir` and its final name are siblings, so they stay valid after the rename.
  const realDir = await realpath(dir);
  const made = new Set<string>(['.']);
  const counts = { symlink: 0, hardlink: 0, copy: 0 };
  // Clips share few folders: one realpath per folder, not per clip.
  const realFolders = new Map<string, string>();
  const realFolder = async (folder: string) => {
    let real = realFolders.get(folder);
    if (real === undefined) {
      real = await realpath(folder);
      if (realFolders.size > 10_000) realFolders.clear();
      realFolders.set(folder, real);
    }
    return real;
  };
  const ensureDir = async (rel: string) => {
    const folder = dirname(rel);
    if (made.has(folder)) return;
    await mkdir(join(dir, folder), { recursive: true });
    made.add(folder);
  };
  const copy = async (to: string, from: string) => {
    await copyFile(from, to, constants.COPYFILE_EXCL);
    counts.copy += 1;
  };
  return {
    dir,
    counts,
    /** Folder of `rel` made (once per folder: a corpus has far fewer folders than clips). */
    ensureDir,
    /** The kept clip's audio at `rel`, as the configured kind of link to `target` (absolute). */
    async audio(rel: string, target: string): Promise<'placed' | 'exists'> {
      await ensureDir(rel);
      const to = join(dir, rel);
      try {
        if (mode === 'symlink') {
          try {
            // The folder's real path, not the file's: a file that is itself a link stays one hop further.
            const real = join(await realFolder(dirname(target)), basename(target));
            await symlink(relative(join(realDir, dirname(rel)), real), to);
            counts.symlink += 1;
            return 'placed';
          } catch (err) {
            if (!NO_SYMLINK.has(code(err) ?? '')) throw err;
          }
        }
        if (mode !== 'copy') {
          try {
            await link(target, to);
            counts.hardlink += 1;
            return 'placed';
          } catch (err) {
            if (!NO_HARDLINK.has(code(err) ?? '')) throw err;
          }
        }
        await copy(to, target);
        return 'placed';
      } catch (err) {
        if (code(err) === 'EEXIST') return 'exists';
        throw err;
      }
    },
    /** Audio that travels as bytes (a Hub row), written as a file; `exists` when the name is taken. */
    async bytes(rel: string, data: Uint8Array): Promise<'placed' | 'exists'> {
      await ensureDir(rel);
      try {
        await writeFile(join(dir, rel), data, { flag: 'wx' });
        return 'placed';
      } catch (err) {
        if (code(err) === 'EEXIST') return 'exists';
        throw err;
      }
    },
    /** A trimmed copy of `target` at `rel`; when none can be written the caller links the original. */
    async trimmed(rel: string, target: string, startSec: number, endSec: number): Promise<TrimOutcome> {
      await ensureDir(rel);
      return writeTrimmed(target, join(dir, rel), startSec, endSec);
    },
    /** A small text file of the layout (a transcript, a speaker table) copied to `rel`, once. */
    async text(rel: string, from: string): Promise<'placed' | 'exists' | 'missing'> {
      // Only a regular file: a link planted in the dataset must not copy a file from elsewhere into curated/.
      const info = await lstat(from).catch(() => undefined);
      if (!info?.isFile()) return 'missing';
      await ensureDir(rel);
      try {
        await copyFile(from, join(dir, rel), constants.COPYFILE_EXCL);
        return 'placed';
      } catch (err) {
        if (code(err) === 'EEXIST') return 'exists';
        if (code(err) === 'ENOENT') return 'missing';
        throw err;
      }
    },
  };
}

export type Placer = Awaited<ReturnType<typeof openPlacer>>;
