import { opendir, readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../types.js';
import { readLines, UnreadableManifestError, type ManifestLine } from '../util/lines.js';
import { isDir, isFile } from '../util/paths.js';

// Speaker tables of the per-file corpora (VCTK, LibriTTS), and the few folder/file helpers both loaders share.

/** One row of a corpus speaker table; fields the table lacks stay undefined. */
export interface SpeakerInfo {
  id: string;
  gender?: string;
  age?: string;
  accent?: string;
  region?: string;
  comment?: string;
  /** Where the row sits, for findings and byte-identical filtered copies. */
  line: number;
}

export interface SpeakerTable {
  /** Relative to the dataset root, as findings name it. */
  file: string;
  speakers: Map<string, SpeakerInfo>;
  /** Rows that could not be parsed. */
  findings: Finding[];
}

/** Numeric ids (LibriTTS speakers, chapters) in numeric order, everything else in code-unit order. */
export function byName(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sub-folders or files of a folder, sorted, without dot files (`.DS_Store`, the AppleDouble `._*` junk that
 * LibriTTS-R archives carry); empty when the folder does not exist. With `maxEntries`, only that many entries of
 * the folder are read (streamed, in the file system's order): detection looks at whatever folder it is given, and
 * a folder of a million clips listed whole costs seconds and ~100 MB of names that set the heap's size for the run.
 */
export async function listNames(dir: string, want: 'dir' | 'file', maxEntries = Infinity): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entriesOf(dir, maxEntries)) {
    if (e.name.startsWith('.')) continue;
    const ok = e.isSymbolicLink()
      ? await (want === 'dir' ? isDir : isFile)(join(dir, e.name))
      : want === 'dir'
        ? e.isDirectory()
        : e.isFile();
    if (ok) out.push(e.name);
  }
  return out.sort(byName);
}

async function entriesOf(dir: string, maxEntries: number): Promise<Dirent[]> {
  if (maxEntries === Infinity) return readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: Dirent[] = [];
  try {
    // Leaving the loop early closes the directory handle.
    for await (const e of await opendir(dir)) {
      if (out.length >= maxEntries) break;
      out.push(e);
    }
  } catch {
    // A folder missing or unreadable lists nothing, as with readdir above.
  }
  return out;
}

/**
 * Longest transcript file read (VCTK, LibriTTS): one sentence is a few hundred bytes, and a file of millions of short
 * lines (a log renamed .txt) would otherwise be joined in memory, slowly, as one clip's text.
 */
const MAX_TRANSCRIPT_BYTES = 64 * 1024;

/**
 * A one-utterance transcript file as one line of text: such files carry trailing spaces, may lack the final
 * newline, and are joined with a space in the rare case they hold several lines.
 */
export async function readTranscript(root: string, file: string): Promise<{ text: string } | { finding: Finding }> {
  const parts: string[] = [];
  let bytes = 0;
  try {
    for await (const { line, text, raw, tooLong } of readLines(join(root, file), { within: root })) {
      if (tooLong) return { finding: malformed(file, line, 'line longer than 1 MiB; skipped') };
      bytes += raw.length;
      if (bytes > MAX_TRANSCRIPT_BYTES)
        return {
          finding: malformed(
            file,
            line,
            `longer than ${MAX_TRANSCRIPT_BYTES / 1024} KiB, not the transcript of one clip; skipped`,
          ),
        };
      if (text.trim() !== '') parts.push(text.trim());
    }
  } catch (err) {
    if (!(err instanceof UnreadableManifestError)) throw err;
    return { finding: unreadable(file, err) };
  }
  return { text: parts.join(' ') };
}

/**
 * Longest speaker table or list read (VCTK speaker-info.txt is 5 KB, LibriTTS SPEAKERS.txt 100 KB): its rows are
 * held in memory, so a huge file in its place is read only this far.
 */
const MAX_TABLE_BYTES = 16 * 2 ** 20;

/** `readLines` of a table held in memory, ending with a finding (pushed to `findings`) past MAX_TABLE_BYTES. */
export async function* tableLines(
  path: string,
  file: string,
  within: string,
  findings: Finding[],
): AsyncGenerator<ManifestLine> {
  let bytes = 0;
  for await (const l of readLines(path, { within })) {
    bytes += l.raw.length;
    if (bytes > MAX_TABLE_BYTES) {
      const why = `the file goes on past ${MAX_TABLE_BYTES / 2 ** 20} MiB, more than a speaker table or list holds; the rest is not read`;
      findings.push(malformed(file, l.line, why));
      return;
    }
    yield l;
  }
}

/** A dataset file refused by `readLines` (a link out of the root, a FIFO): the finding names the file only. */
export function unreadable(file: string, err: UnreadableManifestError): Finding {
  const why = err.message.includes('outside')
    ? 'is a link that leads outside the dataset root'
    : 'is not a regular file';
  return { code: 'source.unreadable_file', severity: 'error', message: `${file}: ${why}; not read`, origin: { file } };
}

export function malformed(file: string, line: number, reason: string): Finding {
  return {
    code: 'source.malformed_line',
    severity: 'error',
    message: `${file}:${line}: ${reason}`,
    origin: { file, line },
  };
}

/** `225` (0.80) and `p225` (0.92) name the same VCTK speaker folder `p225`; `s5` stays `s5`. */
export function vctkSpeakerKey(id: string): string {
  return /^\d+$/.test(id) ? `p${id}` : id;
}

/**
 * The VCTK speaker id a `speaker-info.txt` line describes, or undefined for the header and blank lines.
 * Shared with the curated copy so that it keeps exactly the rows the loader read.
 */
export function vctkRowKey(text: string): string | undefined {
  const first = text.trim().split(/\s+/)[0];
  if (!first || first.toUpperCase() === 'ID') return undefined;
  return vctkSpeakerKey(first);
}

/**
 * VCTK `speaker-info.txt`, both releases: columns are aligned with irregular runs of spaces, REGION may be
 * empty or several words, 0.92 adds a COMMENTS column that in practice is a `(...)` at the end of the line.
 * The header therefore cannot be trusted for positions: fields 0–3 are id, age, gender, accent; the rest is region.
 */
export async function readVctkSpeakers(path: string, file: string, within: string): Promise<SpeakerTable> {
  const speakers = new Map<string, SpeakerInfo>();
  const findings: Finding[] = [];
  for await (const { line, text, tooLong } of tableLines(path, file, within, findings)) {
    if (tooLong) {
      findings.push(malformed(file, line, 'line longer than 1 MiB; skipped'));
      continue;
    }
    const key = vctkRowKey(text);
    if (key === undefined) continue;
    const paren = /\((.*)\)\s*$/.exec(text);
    const tokens = (paren ? text.slice(0, paren.index) : text).trim().split(/\s+/);
    if (tokens.length < 3) {
      findings.push(malformed(file, line, `expected ID AGE GENDER ACCENTS [REGION], found ${tokens.length} field(s)`));
      continue;
    }
    if (speakers.has(key)) {
      findings.push(
        malformed(
          file,
          line,
          `speaker ${key} is listed again (first on line ${speakers.get(key)!.line}); this row is ignored`,
        ),
      );
      continue;
    }
    const region = tokens.slice(4).join(' ');
    speakers.set(key, {
      id: key,
      age: tokens[1],
      gender: tokens[2],
      accent: tokens[3],
      region: region === '' ? undefined : region,
      comment: paren?.[1].trim() || undefined,
      line,
    });
  }
  return { file, speakers, findings };
}

function normalizeGender(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^f(emale)?$/i.test(v)) return 'F';
  if (/^m(ale)?$/i.test(v)) return 'M';
  return v;
}

/**
 * LibriTTS `SPEAKERS.txt` (`;` comments, `ID | SEX | SUBSET | MINUTES | NAME`) or LibriTTS-R `speakers.tsv`
 * (tab-separated; its header is not documented, so columns are found by name and default to id, sex).
 * Names may themselves contain `|`, so only the first fields are relied on.
 */
export async function readLibriSpeakers(path: string, file: string, within: string): Promise<SpeakerTable> {
  const speakers = new Map<string, SpeakerInfo>();
  const findings: Finding[] = [];
  const separator = file.endsWith('.tsv') ? '\t' : '|';
  let idCol = 0;
  let sexCol = 1;
  let seenRow = false;
  for await (const { line, text, tooLong } of tableLines(path, file, within, findings)) {
    if (tooLong) {
      findings.push(malformed(file, line, 'line longer than 1 MiB; skipped'));
      continue;
    }
    if (text.trim() === '' || text.trimStart().startsWith(';')) continue;
    const fields = text.split(separator).map((f) => f.trim());
    if (!seenRow) {
      seenRow = true;
      // A header is a first row whose id is not a number; LibriTTS speaker ids always are.
      if (!/^\d+$/.test(fields[0])) {
        const find = (re: RegExp) => fields.findIndex((f) => re.test(f));
        const id = find(/^(speaker[_ ]?)?id$|^speaker$|^reader$/i);
        const sex = find(/^(sex|gender)$/i);
        idCol = id >= 0 ? id : 0;
        sexCol = sex >= 0 ? sex : 1;
        continue;
      }
    }
    const id = fields[idCol];
    if (fields.length < 2 || !id || !/^\d+$/.test(id)) {
      findings.push(
        malformed(
          file,
          line,
          `expected a numeric speaker id and its sex separated by ${separator === '|' ? '`|`' : 'a tab'}`,
        ),
      );
      continue;
    }
    if (!speakers.has(id)) speakers.set(id, { id, gender: normalizeGender(fields[sexCol]), line });
  }
  return { file, speakers, findings };
}
