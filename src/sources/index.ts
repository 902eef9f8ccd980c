import { hub } from './hub.js';
import { libritts } from './libritts.js';
import { ljspeech } from './ljspeech.js';
import { mls } from './mls.js';
import { nemo } from './nemo.js';
import { parquet } from './parquet.js';
import { table } from './table.js';
import { vctk } from './vctk.js';
import type { Source, SourceOptions } from './types.js';
import { InputError } from '../errors.js';

/** Every layout tts-audit reads; `--format auto` tries them in this order. */
export const sources: Source[] = [hub, vctk, libritts, mls, ljspeech, parquet, nemo, table];

export class SourceSelectionError extends InputError {}

export async function selectSource(root: string, format = 'auto', options: SourceOptions = {}): Promise<Source> {
  // A manifest the user named wins over the folder it sits in (a NeMo manifest beside an LJSpeech metadata.csv).
  const order = options.manifest
    ? [...sources.filter((s) => s.readsNamedManifest), ...sources.filter((s) => !s.readsNamedManifest)]
    : sources;
  const recognised = async () => {
    for (const source of order) if (await source.detect(root, options)) return source;
    return undefined;
  };
  if (format === 'auto') {
    const found = await recognised();
    if (found) return found;
    const known = sources.map((s) => `${s.name} (${s.expects})`).join('; ');
    throw new SourceSelectionError(`${root}: no known dataset layout found. Looked for: ${known}`);
  }
  const source = sources.find((s) => s.name === format);
  if (!source) {
    throw new SourceSelectionError(
      `unknown format ${JSON.stringify(format)}; known: auto, ${sources.map((s) => s.name).join(', ')}`,
    );
  }
  if (!(await source.detect(root, options))) {
    const other = await recognised();
    const found = other
      ? `; it looks like ${other.name} (${other.expects}): try --format ${other.name} or auto`
      : '; no other known layout is there either';
    throw new SourceSelectionError(
      `${root}: --format ${format} expects ${source.expects}, but that is not there${found}`,
    );
  }
  return source;
}
