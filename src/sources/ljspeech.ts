// LJSpeech 1.1 — one female speaker (Linda Johnson) reading passages from 7 non-fiction books, 13,100 clips
// of 1–10 s, about 24 h; the most used single-speaker English TTS corpus.
//   home:    https://keithito.com/LJ-Speech-Dataset/
//   licence: public domain (LibriVox recordings)
//   layout:  LJSpeech-1.1/
//              metadata.csv   `id|raw text|normalized text`, no header, no CSV quoting (quotes are literal text)
//              wavs/<id>.wav  16-bit PCM mono 22,050 Hz
//   known:   column 2 keeps digits and abbreviations; column 3 spells numbers out (abbreviations stay).

import { join } from 'node:path';
import { countLines, readLines, tooLongReason } from '../util/lines.js';
import { isDir, isFile, resolveInside } from '../util/paths.js';
import { filterLines } from './curate-lines.js';
import type { CurateArgs, Source, SourceItem, SourceOptions } from './types.js';
const MANIFEST = 'metadata.csv';
const ID_PATTERN = /^[\w.-]+$/;

async function* read(root: string, options: SourceOptions): AsyncIterable<SourceItem> {
  const file = MANIFEST;
  for await (const { line, text, tooLong } of readLines(join(root, MANIFEST), {
    within: root,
    maxLineBytes: options.maxLineBytes,
  })) {
    const origin = { file, line };
    const malformed = (reason: string): SourceItem => ({
      finding: { code: 'source.malformed_line', severity: 'error', message: `${file}:${line}: ${reason}`, origin },
    });
    if (tooLong) {
      yield malformed(tooLongReason(options.maxLineBytes));
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
  count: (root) => countLines(join(root, MANIFEST), root),
  title: 'LJSpeech 1.1',
  language: 'en',
  nominalFormat: { sampleRate: 22050, channels: 1, bitDepth: 16 },
  expectsNormalizedText: true,
  expects: 'metadata.csv (id|text|normalized) and wavs/',
  detect: async (root) => (await isFile(join(root, MANIFEST))) && (await isDir(join(root, 'wavs'))),
  read,
  writeCurated,
};
