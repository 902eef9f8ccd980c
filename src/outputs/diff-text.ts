import type { ClipChange } from './diff-clips.js';
import type { FigureChange } from './diff-figures.js';
import type { AuditDiff } from './diff.js';

// Ids, titles and paths come from the dataset: control characters are shown escaped, so a crafted id can neither
// break a line of the log nor drive the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const safe = (s: string) => s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const num = (x: number | null) => (x === null ? '–' : String(Number(x.toPrecision(4))));

function pct(m: FigureChange): string {
  const { change } = m;
  if (change === null) return m.old === null ? 'new' : m.new === null ? 'gone' : 'from 0';
  const p = change * 100;
  return `${p > 0 ? '+' : ''}${Number(p.toPrecision(3))} %`;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i].length))) ?? [];
  return rows.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
}

function clipLines(label: string, c: ClipChange, errorsAre: string): string[] {
  if (c.count === 0) return [];
  const lines = [`  ${label} (${c.count}):`];
  for (const f of c.first)
    lines.push(`    ${safe(f.id)}${f.errors.length ? `  ${errorsAre}${f.errors.join(', ')}` : ''}`);
  if (c.count > c.first.length) lines.push(`    … and ${c.count - c.first.length} more`);
  return lines;
}

/** `diff` as a person reads it in a log: what changed in the clips, the figures that moved, the settings. */
export function renderDiffText(d: AuditDiff): string {
  const tol = `±${Number((d.tolerance * 100).toPrecision(3))} %`;
  const sideLine = (name: string, s: AuditDiff['old']) =>
    `${name}  ${safe(s.path)}: ${safe(s.source.title)} (${s.source.format}), run ${s.runId ?? '–'}, finished ${s.finishedAt}`;
  const out = [sideLine('old', d.old), sideLine('new', d.new)];
  if (d.old.source.root !== d.new.source.root) out.push(`the two audits read different sources`);
  out.push('');

  const c = d.clips;
  if (!c.compared) out.push(`clips: ${c.note}`);
  else {
    out.push(
      `clips: ${c.added.count} added, ${c.removed.count} removed, ${c.newlyFailing.count} newly failing, ${c.fixed.count} fixed (${c.old} → ${c.new} in clips.jsonl)`,
    );
    out.push(
      ...clipLines('added', c.added, 'dropped: '),
      ...clipLines('removed', c.removed, 'was dropped: '),
      ...clipLines('newly failing', c.newlyFailing, ''),
      ...clipLines('fixed', c.fixed, 'was: '),
    );
  }
  out.push('');

  const moved = d.figures.moved;
  out.push(`figures beyond ${tol}: ${moved.length} of ${d.figures.compared} compared`);
  if (moved.length) out.push(...pad(moved.map((m) => [m.figure, `${num(m.old)} → ${num(m.new)}`, pct(m)])));
  if (d.config.length) {
    out.push('', `config: ${d.config.length} ${d.config.length === 1 ? 'setting differs' : 'settings differ'}`);
    out.push(...pad(d.config.map((s) => [s.setting, `${s.old ?? 'unset'} → ${s.new ?? 'unset'}`])));
  }
  out.push('', d.differs ? `the audits differ beyond ${tol}` : `no differences beyond ${tol}`);
  return out.join('\n') + '\n';
}
