import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError } from '../errors.js';

export class InputFileError extends InputError {}

/** Line and column of a character offset, for error messages that name the spot. */
function lineOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/** Reads a JSON file and validates it; every failure names the file (and line, for syntax errors). */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S, what: string): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputFileError(`${path}: cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg);
    throw new InputFileError(
      `${path}${pos ? `:${lineOf(text, Number(pos[1]))}` : ''}: ${what} is not valid JSON (${msg})`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InputFileError(`${path}: invalid ${what}: ${issues.join('; ')}`);
  }
  return parsed.data;
}
