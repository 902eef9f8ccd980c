import { readLines, tooLongReason } from '../util/lines.js';

// A small RFC 4180 reader over `readLines`, so records stream and keep their raw bytes (a curated copy
// is byte-identical). Lenient where Python's csv module is: a quote opens a quoted field only at the
// start of a field; text after a closing quote is kept. A quoted field may span lines, within bounds.

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  /** Last line of the record (differs from `line` when a quoted field holds a newline). */
  endLine: number;
  /** The cells, unquoted; absent when the record could not be read (see `error`). */
  fields?: string[];
  error?: string;
  /** Exact bytes of every line of the record, line endings included. */
  raws: Buffer[];
  blank: boolean;
}

export interface CsvOptions {
  delimiter: string;
  /** False for TSV and `|` files: quotes are literal text there (Common Voice, LJSpeech write them so). */
  quoting: boolean;
  /** A quoted field still open after this many lines is taken as a stray quote, not a multi-line cell. */
  maxRecordLines?: number;
  /** The dataset root the file must lie in (see `readLines`). */
  within?: string;
  /** Lines longer than this are skipped with a finding (`limits.maxManifestLineKB`). */
  maxLineBytes?: number;
}

interface State {
  fields: string[];
  field: string;
  inQuotes: boolean;
  atFieldStart: boolean;
}

const fresh = (): State => ({ fields: [], field: '', inQuotes: false, atFieldStart: true });

/** Consumes one line into the state; returns true when the record is complete at its end. */
function feed(s: State, text: string, { delimiter, quoting }: CsvOptions): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (s.inQuotes) {
      if (c !== '"') s.field += c;
      else if (text[i + 1] === '"') {
        s.field += '"';
        i++;
      } else s.inQuotes = false;
    } else if (c === delimiter) {
      s.fields.push(s.field);
      s.field = '';
      s.atFieldStart = true;
      continue;
    } else if (c === '"' && quoting && s.atFieldStart) s.inQuotes = true;
    else s.field += c;
    s.atFieldStart = false;
  }
  if (s.inQuotes) {
    s.field += '\n';
    return false;
  }
  s.fields.push(s.field);
  return true;
}

/** Streams the records of a delimited file; unreadable records come with an `error`, and reading goes on. */
export async function* readCsvRecords(path: string, options: CsvOptions): AsyncGenerator<CsvRecord> {
  const maxLines = options.maxRecordLines ?? 100;
  let state = fresh();
  let pending: { line: number; raws: Buffer[] } | undefined;
  const unclosed = (endLine: number, why: string): CsvRecord => {
    const p = pending!;
    const span = endLine > p.line ? `lines ${p.line}–${endLine}` : `line ${p.line}`;
    return {
      line: p.line,
      endLine,
      error: `a quoted field opened here ${why}; ${span} skipped`,
      raws: p.raws,
      blank: false,
    };
  };
  let last = 0;
  for await (const { line, text, raw, tooLong } of readLines(path, {
    within: options.within,
    maxLineBytes: options.maxLineBytes,
  })) {
    last = line;
    if (tooLong) {
      if (pending) yield unclosed(line - 1, 'is cut by an over-long line');
      pending = undefined;
      state = fresh();
      yield { line, endLine: line, error: tooLongReason(options.maxLineBytes), raws: [raw], blank: false };
      continue;
    }
    if (!pending) {
      if (text.trim() === '') {
        yield { line, endLine: line, raws: [raw], blank: true };
        continue;
      }
      pending = { line, raws: [] };
    }
    pending.raws.push(raw);
    if (feed(state, text, options)) {
      yield { line: pending.line, endLine: line, fields: state.fields, raws: pending.raws, blank: false };
      pending = undefined;
      state = fresh();
    } else if (line - pending.line + 1 >= maxLines) {
      yield unclosed(line, `is still open after ${maxLines} lines`);
      pending = undefined;
      state = fresh();
    }
  }
  if (pending) yield unclosed(last, 'never closes');
}

/** Header-line delimiter: the extension's, unless the header shows none of it and another candidate instead. */
export function pickDelimiter(header: string, preferred: string): string {
  const count = (d: string) => header.split(d).length - 1;
  if (count(preferred) > 0) return preferred;
  let best = preferred;
  for (const d of [',', '\t', '|', ';']) if (count(d) > count(best)) best = d;
  return best;
}
