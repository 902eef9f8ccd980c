import { z } from 'zod';
import type { AuditReport } from './report-schema.js';

// The dataset figures two reports are compared on. Relative change, |new − old| / |old|, is the one yardstick that
// fits counts, hours, shares and percentiles alike; a figure that appears, vanishes or leaves zero has no relative
// change and always counts as moved.

export const figureChangeSchema = z.object({
  figure: z.string(),
  old: z.number().nullable().describe('null when OLD has no such figure'),
  new: z.number().nullable().describe('null when NEW has no such figure'),
  change: z.number().nullable().describe('(new − old) / |old|; null when either side is missing or old is 0'),
});

export type FigureChange = z.output<typeof figureChangeSchema>;

export const settingChangeSchema = z.object({
  setting: z.string(),
  old: z.string().nullable().describe('the value as JSON; null when unset'),
  new: z.string().nullable(),
});

export type SettingChange = z.output<typeof settingChangeSchema>;

/** Percentiles of each clip metric that the diff follows: the body and both tails. */
const PERCENTILES = ['p5', 'p50', 'p95'] as const;

/** The figures of a report a diff compares, by name. */
export function reportFigures(report: AuditReport): Map<string, number | null> {
  const figures = new Map<string, number | null>();
  const s = report.summary;
  for (const key of [
    'listed',
    'analysed',
    'unreadable',
    'kept',
    'trimmed',
    'dropped',
    'hoursAnalysed',
    'hoursKept',
    'malformedLines',
    'unreadableFiles',
  ] as const)
    figures.set(`summary.${key}`, s[key]);
  for (const [severity, n] of Object.entries(s.findingsBySeverity)) figures.set(`summary.findings.${severity}`, n);
  figures.set('summary.droppedShare', s.listed > 0 ? s.dropped / s.listed : 0);
  for (const [code, f] of Object.entries(report.findings)) figures.set(`findings.${code}`, f.clips);
  const d = report.dataset;
  if (d.totals) figures.set('dataset.speakers', d.totals.speakers);
  const balance = d.coverage?.speaker.balance.normalizedEntropy;
  if (balance !== undefined) figures.set('dataset.speakerBalance', balance);
  for (const [metric, dist] of Object.entries(d.distributions ?? {}))
    for (const p of PERCENTILES) figures.set(`metrics.${metric}.${p}`, dist.percentiles[p] ?? null);
  return figures;
}

/** A finding counted in one report only is zero in the other, not missing: nothing carried it. */
const zeroWhenAbsent = (name: string) => name.startsWith('findings.');

/** The figures that moved by more than `tolerance` (relative), and how many were compared. */
export function movedFigures(
  oldReport: AuditReport,
  newReport: AuditReport,
  tolerance: number,
): { compared: number; moved: FigureChange[] } {
  const before = reportFigures(oldReport);
  const after = reportFigures(newReport);
  const rank = (name: string) => ['summary.', 'findings.', 'dataset.', 'metrics.'].findIndex((p) => name.startsWith(p));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort((x, y) => rank(x) - rank(y));
  const moved: FigureChange[] = [];
  for (const name of names) {
    const fallback = zeroWhenAbsent(name) ? 0 : null;
    const a = before.has(name) ? before.get(name)! : fallback;
    const b = after.has(name) ? after.get(name)! : fallback;
    if (a === null || b === null) {
      if (a !== b) moved.push({ figure: name, old: a, new: b, change: null });
      continue;
    }
    const delta = b - a;
    // Below this the two are the same figure summed in another order.
    if (Math.abs(delta) <= 1e-9 * Math.max(1, Math.abs(a))) continue;
    const change = a === 0 ? null : delta / Math.abs(a);
    if (change === null || Math.abs(change) > tolerance) moved.push({ figure: name, old: a, new: b, change });
  }
  return { compared: names.length, moved };
}

function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else if (value !== undefined) out.set(path, JSON.stringify(value));
  return out;
}

/** Settings whose values differ between the two runs' configs (defaults filled in), by dotted path. */
export function configChanges(oldConfig: unknown, newConfig: unknown): SettingChange[] {
  const a = leaves(oldConfig, '', new Map());
  const b = leaves(newConfig, '', new Map());
  const changes: SettingChange[] = [];
  for (const setting of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [a.get(setting) ?? null, b.get(setting) ?? null];
    if (x !== y) changes.push({ setting, old: x, new: y });
  }
  return changes;
}
