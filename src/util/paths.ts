import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves a manifest's path inside the dataset root, or returns undefined when it escapes it
 * (`../`, or an absolute path elsewhere): a manifest must not make the audit read arbitrary files.
 */
export function resolveInside(root: string, path: string): { abs: string; rel: string } | undefined {
  const abs = isAbsolute(path) ? resolve(path) : resolve(root, path);
  const rel = relative(resolve(root), abs);
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return undefined;
  return { abs, rel: rel.split(sep).join('/') };
}

/** True for a regular file (following symlinks); false for anything else or nothing. */
export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** True for a folder (following symlinks); false for anything else or nothing. */
export async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
