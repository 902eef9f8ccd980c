import { markdownText } from './report-html-escape.js';

// Small pieces every section of report.md shares: figures, counted nouns, cells.

/** Ids, speakers, paths, transcripts and messages quoting them: text, never a link, image, code span or column break. */
export const cell = (s: string, max?: number) => markdownText(s, max);

/** A finding code or metric name in a code span when it is plain, else as escaped text (a report can be edited). */
export const code = (s: string) => (/^[\w.[\]-]+$/.test(s) ? `\`${s}\`` : markdownText(s));

/**
 * tts-audit's own prose (a finding's meaning, a setting's description), whose `name` spans stay code spans when they
 * are plain names; everything else is escaped as `cell` escapes, since a report read back may have been edited.
 */
export function prose(s: string, max?: number): string {
  const text = markdownText(s, max ?? Infinity);
  return text.replace(/\\`((?:\\[[\]_]|[\w.-])+)\\`/g, (_, name: string) => `\`${name.replace(/\\(.)/g, '$1')}\``);
}

/** A figure with as many decimals as its size needs: 10723 Hz, 28.5 dB, 0.35 s (three significant digits or more). */
export function num(x: number | null | undefined, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (digits !== undefined) return x.toFixed(digits);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A count with thousands separated, as a reader scans it: 2,996. */
export const count = (n: number) => n.toLocaleString('en-US');

export { counted } from '../util/plural.js';

export const share = (x: number) => `${num(x * 100, x > 0 && x < 0.01 ? 1 : 0)} %`;

export const hours = (h: number) => (h >= 10 ? h.toFixed(1) : h >= 0.1 ? h.toFixed(2) : h.toFixed(3));

/** A GitHub-flavoured table: a header row, its alignment row (`l`/`r` per column), then the rows. */
export function table(header: string[], align: string, rows: string[][]): string[] {
  const rule = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line), ''];
}
