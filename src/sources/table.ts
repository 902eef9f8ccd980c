// CSV/TSV manifests — the plain tables of Common Voice exports, `datasets` CSV dumps and in-house corpora.
//   home:    RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180)
//   licence: a format, not a corpus; the data keeps its own licence
//   layout:  <manifest>.csv | .tsv   a header row naming the columns, then one clip per record; audio paths
//                                    resolve from the manifest's folder
//   Columns are guessed from common names (Common Voice, HF exports, NeMo-like); `options.columns` overrides any guess.

import { mkdir } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { InputError } from '../errors.js';
import type { Utterance } from '../types.js';
import { fileWriter } from '../util/jsonl.js';
import { pickDelimiter, readCsvRecords, type CsvOptions, type CsvRecord } from './csv.js';
import {
  clipId,
  escapeReason,
  quoted,
  findManifest,
  headLines,
  lineFinding,
  resolveAudio,
  type ManifestFile,
} from './manifest.js';
import type { ColumnField, CurateArgs, Source, SourceItem, SourceOptions } from './types.js';

/** Lower-case header names each field is guessed from, in order of preference. */
const GUESSES: Record<ColumnField, string[]> = {
  audio: ['audio', 'audio_filepath', 'audio_path', 'path', 'file', 'wav', 'wav_path', 'filename', 'file_name'],
  text: ['text', 'transcript', 'sentence', 'transcription'],
  normalizedText: ['normalized_text', 'text_normalized', 'normalized_transcript', 'normalized_transcription'],
  speaker: ['speaker', 'speaker_id', 'client_id'],
  id: ['id', 'utt_id', 'utterance_id'],
  duration: ['duration'],
  offset: ['offset'],
  language: ['language', 'lang', 'locale'],
  gender: ['gender'],
  accent: ['accent', 'accents'],
  split: ['split'],
};
const FIELDS = Object.keys(GUESSES) as ColumnField[];
const TABLE_EXT: Record<string, string> = { '.csv': ',', '.tsv': '\t', '.psv': '|', '.txt': ',' };

type ColumnMap = Partial<Record<ColumnField, number>>;

/** The header's names for a message: a header of thousands of columns (a binary file read as CSV) is cut short. */
function listColumns(names: string[], max = 30): string {
  const shown = names.slice(0, max).map((n) => quoted(n, 60));
  return shown.join(', ') + (names.length > max ? `, … (${names.length} columns)` : '');
}

/** Field → column index; an error naming the columns found when audio or text cannot be placed. */
export function mapColumns(
  header: string[],
  overrides: SourceOptions['columns'] = {},
): { map: ColumnMap } | { error: string } {
  const names = header.map((h) => h.trim());
  const lower = names.map((n) => n.toLowerCase());
  const map: ColumnMap = {};
  const problems: string[] = [];
  for (const field of FIELDS) {
    const wanted = overrides[field];
    if (wanted !== undefined) {
      const at = names.indexOf(wanted) >= 0 ? names.indexOf(wanted) : lower.indexOf(wanted.toLowerCase());
      if (at < 0) problems.push(`--columns names ${quoted(wanted, 60)} for ${field}, but there is no such column`);
      else map[field] = at;
      continue;
    }
    const at = GUESSES[field].map((g) => lower.indexOf(g)).find((i) => i >= 0);
    if (at !== undefined) map[field] = at;
  }
  for (const field of ['audio', 'text'] as const) {
    if (map[field] === undefined && overrides[field] === undefined)
      problems.push(`no ${field} column (looked for ${GUESSES[field].join(', ')})`);
  }
  if (problems.length === 0) return { map };
  return {
    error: `${problems.join('; ')}. Columns found: ${listColumns(names)}. Map them with --columns audio=<column>,text=<column> (sourceOptions.columns in the API)`,
  };
}

async function csvOptionsOf(abs: string, name: string): Promise<CsvOptions> {
  const [header = ''] = await headLines(abs);
  const delimiter = pickDelimiter(header, TABLE_EXT[extname(name).toLowerCase()] ?? ',');
  return { delimiter, quoting: delimiter === ',' || delimiter === ';' };
}

/** Blank lines looked past for the header: detection reads every candidate file, and must not read a huge one whole. */
const HEADER_WITHIN_LINES = 1000;

async function headerOf(abs: string, csv: CsvOptions): Promise<CsvRecord | undefined> {
  for await (const record of readCsvRecords(abs, csv)) {
    if (!record.blank) return record;
    if (record.line >= HEADER_WITHIN_LINES) break;
  }
  return undefined;
}

// Scanning a folder, only a table whose header maps counts; a file the user named is always taken,
// so that `read` can tell them which columns it found instead of "no known layout".
const fitsFolder = async (abs: string, name: string) => {
  const ext = extname(name).toLowerCase();
  if (ext !== '.csv' && ext !== '.tsv') return false;
  const csv = await csvOptionsOf(abs, name);
  const header = await headerOf(abs, csv);
  return header?.fields !== undefined && 'map' in mapColumns(header.fields);
};
const fitsNamed = async (_abs: string, name: string) => extname(name).toLowerCase() in TABLE_EXT;

interface Table {
  manifest: ManifestFile;
  csv: CsvOptions;
  headerLine: number;
  width: number;
  map: ColumnMap;
}

async function open(root: string, options: SourceOptions): Promise<Table> {
  const manifest = await findManifest(root, options, fitsFolder, fitsNamed);
  if (!manifest) throw new InputError(`${root}: no single CSV/TSV manifest found; name it (pass the file itself)`);
  const csv = {
    ...(await csvOptionsOf(manifest.abs, manifest.rel)),
    within: root,
    maxLineBytes: options.maxLineBytes,
  };
  const header = await headerOf(manifest.abs, csv);
  if (!header?.fields)
    throw new InputError(
      `${manifest.rel}: ${header ? `${header.line}: header row unreadable: ${header.error}` : `no header row (the file is empty, or its first ${HEADER_WITHIN_LINES} lines are blank)`}`,
    );
  const mapped = mapColumns(header.fields, options.columns);
  if ('error' in mapped) throw new InputError(`${manifest.rel}:${header.line}: ${mapped.error}`);
  return { manifest, csv, headerLine: header.line, width: header.fields.length, map: mapped.map };
}

type Parsed = { utterance: Utterance } | { code: string; reason: string } | undefined;

/** One data record → utterance or the reason it is refused; undefined for blank lines and the header. */
function parseRecord(root: string, t: Table, r: CsvRecord): Parsed {
  if (r.blank || r.line === t.headerLine) return undefined;
  if (!r.fields) return { code: 'source.malformed_line', reason: r.error ?? 'unreadable record' };
  const cells = r.fields;
  if (cells.length !== t.width)
    return {
      code: 'source.malformed_line',
      reason: `expected ${t.width} fields as in the header, found ${cells.length}`,
    };
  const cell = (f: ColumnField) => (t.map[f] === undefined ? undefined : cells[t.map[f]!]);
  const trimmed = (f: ColumnField) => {
    const v = cell(f)?.trim();
    return v === '' ? undefined : v;
  };
  const numbers: Partial<Record<'offset' | 'duration', number>> = {};
  for (const f of ['offset', 'duration'] as const) {
    const v = trimmed(f);
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n)) return { code: 'source.malformed_line', reason: `${f} ${quoted(v, 40)} is not a number` };
    numbers[f] = n;
  }
  const audio = trimmed('audio');
  if (audio === undefined) return { code: 'source.malformed_line', reason: 'empty audio path' };
  const inside = resolveAudio(root, t.manifest, audio);
  if (!inside)
    return {
      code: 'source.path_escape',
      reason: escapeReason(audio),
    };
  return {
    utterance: {
      id: clipId(trimmed('id'), inside.rel, numbers.offset),
      audio: {
        kind: 'file',
        path: inside.abs,
        relPath: inside.rel,
        offsetSec: numbers.offset,
        durationSec: numbers.duration,
      },
      text: cell('text') ?? '',
      normalizedText: trimmed('normalizedText') === undefined ? undefined : cell('normalizedText'),
      speaker: trimmed('speaker'),
      gender: trimmed('gender'),
      accent: trimmed('accent'),
      language: trimmed('language'),
      split: trimmed('split'),
      origin: { file: t.manifest.rel, line: r.line },
    },
  };
}

async function* read(root: string, options: SourceOptions): AsyncIterable<SourceItem> {
  const t = await open(root, options);
  for await (const r of readCsvRecords(t.manifest.abs, t.csv)) {
    const parsed = parseRecord(root, t, r);
    if (parsed === undefined) continue;
    yield 'utterance' in parsed ? parsed : lineFinding(parsed.code, t.manifest.rel, r.line, parsed.reason);
  }
}

/** Header + kept records, byte-identical (a multi-line record keeps all its lines), under the same name. */
async function writeCurated({ root, outDir, isKept, options }: CurateArgs) {
  const t = await open(root, options);
  const to = join(outDir, t.manifest.rel);
  await mkdir(dirname(to), { recursive: true });
  const out = fileWriter(to);
  let kept = 0;
  let dropped = 0;
  for await (const r of readCsvRecords(t.manifest.abs, t.csv)) {
    const parsed = parseRecord(root, t, r);
    let write = r.line === t.headerLine;
    if (parsed && 'utterance' in parsed) {
      write = isKept(parsed.utterance.id);
      if (write) kept += 1;
      else dropped += 1;
    }
    if (write) for (const raw of r.raws) await out.write(raw);
  }
  await out.close();
  return { files: [t.manifest.rel], kept, dropped };
}

export const table: Source = {
  name: 'csv',
  readsNamedManifest: true,
  title: 'CSV/TSV manifest',
  expectsNormalizedText: false,
  expects:
    'one CSV/TSV manifest with a header row naming audio and text columns (or pass the file itself, with --columns to map them)',
  detect: async (root, options) => (await findManifest(root, options, fitsFolder, fitsNamed)) !== undefined,
  read,
  curatedNames: async (root, options) => [(await open(root, options)).manifest.rel],
  writeCurated,
};
