import { sep } from 'node:path';

// Everything a dataset supplies (transcripts, ids, speakers, paths, titles) is someone else's text. These helpers
// make sure none of it becomes markup in report.html or report.md, and that characters which reorder or hide text
// (bidi controls, zero-width characters, C0/C1 controls) are shown as what they are instead of acting.

/**
 * Characters that change how the text around them reads without showing themselves: C0/C1 controls (tab and line
 * breaks excepted), bidi marks, embeddings, overrides and isolates, zero-width characters, invisible operators,
 * the byte-order mark, and lone surrogates (which no encoder can write).
 */
const HIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it must find
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const codePoint = (ch: string) => `⟨U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;

/** `s` with every hidden character spelled out, e.g. U+202E as `⟨U+202E⟩`. */
export const visible = (s: string): string => s.replace(HIDDEN, codePoint);

/** At most `max` code points of `s` (a surrogate pair is never cut), with `…` when cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const points = Array.from(s);
  return points.length <= max ? s : points.slice(0, max).join('') + '…';
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in an HTML text node or a double- or single-quoted attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);

/** A fragment of HTML built by `markup`; anything else put into `markup` is escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Markup this program wrote itself (Plot's SVG, the page's style and script): never data. */
export const trusted = (markup: string): Html => new Html(markup);

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false || part === true) return '';
  return escapeHtml(visible(String(part as string | number)));
}

/**
 * A template tag whose interpolations are escaped unless they are `Html` already: data can only ever become text.
 * Arrays are joined; null, undefined and booleans render nothing, so `${cond && markup`…`}` reads naturally.
 * (Not named `html`: Prettier would reformat such templates as HTML, changing the page's whitespace and script.)
 */
export function markup(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) out += render(parts[i]!) + strings[i + 1]!;
  return new Html(out);
}

/**
 * ASCII punctuation that opens Markdown or HTML constructs (links, images, emphasis, code spans, tables, entities,
 * raw HTML, autolinks after `:` or at `@`, GitHub's math), escaped with a backslash, which CommonMark allows
 * before any ASCII punctuation and renders as the character itself. `!` and `(` stay: with `[` escaped they open
 * no image or link, and transcripts are full of them.
 */
const MARKDOWN_ACTIVE = /[\\`*[\]<>|~&:@$#]/g;
/** `_` can open or close emphasis only at a word's edge; inside one (`LJ001_noise`) it stays as it is. */
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Data as inline Markdown text, safe in a table cell: one line, hidden characters spelled out, at most `max`
 * code points, no construct live. `www.` is broken too, as GitHub links it without a scheme.
 */
export function markdownText(s: string, max = 200): string {
  return truncate(visible(s.replace(/[\r\n\t]+/g, ' ')), max)
    .replace(MARKDOWN_ACTIVE, '\\$&')
    .replace(EDGE_UNDERSCORE, '\\_')
    .replace(/(www)\./gi, '$1\\.');
}

/** A path relative to the report as a URL path: each segment percent-encoded, so `#`, `?` and `%` stay names. */
export const hrefOfPath = (relPath: string): string => relPath.split(sep).map(encodeURIComponent).join('/');
