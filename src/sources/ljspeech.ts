import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLines } from '../util/lines.js';
import { resolveInside } from '../util/paths.js';
import { filterLines } from './curate-lines.js';
import type { CurateArgs, Source, SourceItem } from './types.js';

// LJSpeech 1.1: `metadata.csv` is `id|raw text|normalized text`, no header, no CSV quoting
// (double quotes are literal text), audio in `wavs/<id>.wav`. See shared docs/layouts.md §1.
const MANIFEST = 'metadata.csv';
const ID_PATTERN = /^[\w.-]+$/;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function* read(root: string): AsyncIterable<SourceItem> {
  const file = MANIFEST;
  for await (const { line, text, tooLong } of readLines(join(root, MANIFEST))) {
    const origin = { file, line };
    const malformed = (reason: string): SourceItem => ({
      finding: { code: 'source.malformed_line', severity: 'error', message: `${file}:${line}: ${reason}`, origin },
    });
    if (tooLong) {
      yield malformed('line longer than 1 MiB; skipped');
      continue;
    }
    if (text.trim() === '') continue;
    const fields = text.split('|');
    if (fields.length < 2) {
      yield malformed('expected `id|text|normalized text`, found no `|` separator');
      continue;
    }
    if (fields.length > 3) {
      yield malformed(`expected 3 fields separated by \`|\`, found ${fields.length}`);
      continue;
    }
    const id = fields[0].trim();
    if (!ID_PATTERN.test(id)) {
      yield malformed(`clip id ${JSON.stringify(id.slice(0, 40))} is not a file name (letters, digits, . _ -)`);
      continue;
    }
    const rel = `wavs/${id}.wav`;
    const inside = resolveInside(root, rel);
    if (!inside) {
      yield malformed(`audio path ${rel} escapes the dataset root`);
      continue;
    }
    // A missing third column is tolerated: some copies of LJSpeech ship `id|text` only.
    const normalized = fields[2]?.trim();
    yield {
      utterance: {
        id,
        audio: { kind: 'file', path: inside.abs, relPath: inside.rel },
        text: fields[1].trim(),
        normalizedText: normalized === undefined || normalized === '' ? undefined : normalized,
        speaker: 'LJ',
        gender: 'F',
        language: 'en',
        origin,
      },
    };
  }
}

/** Kept rows of metadata.csv, byte-identical; the wavs stay where they are. */
async function writeCurated({ root, outDir, isKept }: CurateArgs) {
  const { kept, dropped } = await filterLines({
    from: join(root, MANIFEST),
    to: join(outDir, MANIFEST),
    idOf: (text) => (text.includes('|') ? text.split('|')[0].trim() : undefined),
    isKept,
  });
  return { files: [MANIFEST], kept, dropped };
}

export const ljspeech: Source = {
  name: 'ljspeech',
  title: 'LJSpeech 1.1',
  language: 'en',
  nominalFormat: { sampleRate: 22050, channels: 1, bitDepth: 16 },
  expectsNormalizedText: true,
  expects: 'metadata.csv (id|text|normalized) and wavs/',
  detect: async (root) => (await isFile(join(root, MANIFEST))) && (await stat(join(root, 'wavs')).then((s) => s.isDirectory(), () => false)),
  read,
  writeCurated,
};
