import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { VERSION } from '../version.js';
import { readFinishedReport } from './check.js';
import { clipChangeSchema, diffClips, type ClipFiles } from './diff-clips.js';
import { configChanges, figureChangeSchema, movedFigures, settingChangeSchema } from './diff-figures.js';
import type { AuditReport } from './report-schema.js';
import { CLIPS_FILE } from './run-record.js';

export const DEFAULT_DIFF_TOLERANCE = 0.05;
export const DEFAULT_DIFF_SHOW = 20;

export interface DiffOptions {
  /** Relative change beyond which a dataset figure counts as moved (default 0.05, i.e. 5 %). */
  tolerance?: number;
  /** Ids listed per kind of clip change (default 20); the counts are always whole. */
  show?: number;
}

const side = z.object({
  path: z.string().describe('the report.json read'),
  clips: z.string().nullable().describe('the clips.jsonl read beside it; null when there is none'),
  runId: z.string().nullable(),
  source: z.object({ root: z.string(), format: z.string(), title: z.string() }),
  finishedAt: z.string(),
});

/** What `diff --json` prints and `diffAudits` returns. */
export const auditDiffSchema = z.object({
  tool: z.object({ name: z.literal('tts-audit'), version: z.string() }),
  old: side,
  new: side,
  tolerance: z.number().describe('relative change beyond which a figure counts as moved'),
  clips: z.object({
    compared: z.boolean().describe('false when either side has no clips.jsonl: only the reports’ figures are compared'),
    note: z.string().nullable().describe('why clips were not compared'),
    old: z.number().int().nullable().describe('lines of OLD clips.jsonl'),
    new: z.number().int().nullable(),
    added: clipChangeSchema,
    removed: clipChangeSchema,
    newlyFailing: clipChangeSchema.describe('dropped in NEW (a finding of severity error), kept in OLD'),
    fixed: clipChangeSchema.describe('dropped in OLD, kept in NEW'),
  }),
  figures: z.object({
    compared: z.number().int(),
    moved: z.array(figureChangeSchema).describe('figures whose relative change exceeds the tolerance'),
  }),
  config: z.array(settingChangeSchema).describe('settings that differ between the two runs (not a difference itself)'),
  differs: z.boolean().describe('any clip added, removed, newly failing or fixed, or any figure moved'),
});

export type AuditDiff = z.output<typeof auditDiffSchema>;

interface Side {
  reportPath: string;
  report: AuditReport;
  files?: ClipFiles;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** A finished audit: its report, and the clips logs beside it when the folder holds them. */
async function openSide(path: string): Promise<Side> {
  const { reportPath, report } = await readFinishedReport(path);
  const dir = dirname(reportPath);
  const clips = join(dir, CLIPS_FILE);
  const dropped = join(dir, 'curated', 'dropped.jsonl');
  if (!(await isFile(clips))) return { reportPath, report };
  return { reportPath, report, files: { clips, ...((await isFile(dropped)) ? { dropped } : {}) } };
}

const describeSide = (s: Side) => ({
  path: s.reportPath,
  clips: s.files?.clips ?? null,
  runId: s.report.run.runId ?? null,
  source: { root: s.report.source.root, format: s.report.source.format, title: s.report.source.title },
  finishedAt: s.report.run.finishedAt,
});

const none = () => ({ count: 0, first: [] });

/**
 * Compares two finished audits (output folders or report.json files): clips added, removed, newly failing and
 * fixed, from the clips.jsonl beside each report, and the dataset figures that moved beyond `tolerance`.
 */
export async function diffAudits(oldPath: string, newPath: string, options: DiffOptions = {}): Promise<AuditDiff> {
  const tolerance = options.tolerance ?? DEFAULT_DIFF_TOLERANCE;
  const show = options.show ?? DEFAULT_DIFF_SHOW;
  if (!(tolerance >= 0)) throw new InputError(`the tolerance must be a number ≥ 0, not ${tolerance}`);
  if (!Number.isInteger(show) || show < 0) throw new InputError(`ids shown must be a whole number ≥ 0, not ${show}`);
  const [a, b] = [await openSide(oldPath), await openSide(newPath)];
  const lacking = [a, b].filter((s) => !s.files).map((s) => s.reportPath);
  const clips =
    a.files && b.files
      ? { compared: true, note: null, ...(await diffClips(a.files, b.files, show)) }
      : {
          compared: false,
          note: `no ${CLIPS_FILE} beside ${lacking.join(' and ')}: clips are not compared one by one, only the reports' figures (listed, dropped, per finding)`,
          oldClips: null,
          newClips: null,
          added: none(),
          removed: none(),
          newlyFailing: none(),
          fixed: none(),
        };
  const figures = movedFigures(a.report, b.report, tolerance);
  const changed = [clips.added, clips.removed, clips.newlyFailing, clips.fixed].some((c) => c.count > 0);
  return {
    tool: { name: 'tts-audit', version: VERSION },
    old: describeSide(a),
    new: describeSide(b),
    tolerance,
    clips: {
      compared: clips.compared,
      note: clips.note,
      old: clips.oldClips,
      new: clips.newClips,
      added: clips.added,
      removed: clips.removed,
      newlyFailing: clips.newlyFailing,
      fixed: clips.fixed,
    },
    figures,
    config: configChanges(a.report.config, b.report.config),
    differs: changed || figures.moved.length > 0,
  };
}

/** The kinds of difference `diff --fail-on` can name. */
export const DIFF_KINDS = ['added', 'removed', 'newly-failing', 'fixed', 'figures'] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];

const CLIP_KIND = { added: 'added', removed: 'removed', 'newly-failing': 'newlyFailing', fixed: 'fixed' } as const;

/** `--fail-on a,b`: the kinds named; undefined for `any` (every kind). Anything else is refused by name. */
export function parseFailOn(spec: string): DiffKind[] | undefined {
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0 || names.includes('any')) return undefined;
  for (const n of names)
    if (!(DIFF_KINDS as readonly string[]).includes(n))
      throw new InputError(`--fail-on: unknown kind "${n}"; kinds: any, ${DIFF_KINDS.join(', ')}`);
  return names as DiffKind[];
}

/**
 * Whether the diff shows a difference of one of `kinds` (all when undefined). Naming a clip kind for reports
 * whose clips were not compared is refused: the answer would be a silent "no".
 */
export function diffFails(diff: AuditDiff, kinds?: readonly DiffKind[]): boolean {
  if (kinds === undefined) return diff.differs;
  const clipKinds = kinds.filter((k) => k !== 'figures');
  if (!diff.clips.compared && clipKinds.length > 0)
    throw new InputError(`--fail-on ${clipKinds.join(',')}: ${diff.clips.note}`);
  return kinds.some((k) => (k === 'figures' ? diff.figures.moved.length > 0 : diff.clips[CLIP_KIND[k]].count > 0));
}
