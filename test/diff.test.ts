import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  audit,
  auditDiffSchema,
  diffAudits,
  diffFails,
  InputError,
  renderDiffText,
  type AuditDiff,
} from '../src/index.js';
import { parseFailOn } from '../src/outputs/diff.js';
import { REAL, cli, tempDir } from './helpers/run.js';

// OLD and NEW audit two copies of the 7 real LJSpeech clips, engineered to differ in every way a diff reports:
//   OLD: LJ001-0006's normalized transcript holds "1842" → dropped (text.unnormalized).
//   NEW: LJ001-0006 as released (fixed); LJ001-0007 renamed LJ001-0107 (removed + added); LJ001-0005 given
//        LJ001-0004's transcript, an exact duplicate, made an error (newly failing, through a dataset-level finding
//        that clips.jsonl does not hold); minDurationSec raised to 2 s, so the 1.9 s LJ001-0002 is newly failing.

function dataset(edit: (rows: string[]) => string[], wavs: Record<string, string> = {}): string {
  const dir = tempDir('tts-audit-diff-');
  cpSync(join(REAL, 'ljspeech'), dir, { recursive: true });
  const rows = readFileSync(join(dir, 'metadata.csv'), 'utf8').trimEnd().split('\n');
  writeFileSync(join(dir, 'metadata.csv'), edit(rows).join('\n') + '\n');
  for (const [to, from] of Object.entries(wavs)) copyFileSync(join(dir, 'wavs', from), join(dir, 'wavs', to));
  return dir;
}

const idOf = (row: string) => row.split('|')[0];

describe('diff: what changed between two audits', () => {
  let oldOut: string;
  let newOut: string;
  let diff: AuditDiff;

  beforeAll(async () => {
    const oldSet = dataset((rows) =>
      rows.map((r) => (idOf(r) === 'LJ001-0006' ? `${r.replace(/,$/, '')} in 1842,` : r)),
    );
    const newSet = dataset(
      (rows) => {
        const text4 = rows.find((r) => idOf(r) === 'LJ001-0004')!.slice('LJ001-0004'.length);
        return rows.map((r) =>
          idOf(r) === 'LJ001-0005'
            ? `LJ001-0005${text4}`
            : idOf(r) === 'LJ001-0007'
              ? r.replace('LJ001-0007', 'LJ001-0107')
              : r,
        );
      },
      { 'LJ001-0107.wav': 'LJ001-0007.wav' },
    );
    oldOut = join(tempDir(), 'old');
    newOut = join(tempDir(), 'new');
    await audit({ source: oldSet, out: oldOut, jobs: 1 });
    await audit({
      source: newSet,
      out: newOut,
      jobs: 1,
      config: { analyzers: { signal: { minDurationSec: 2 } }, severity: { 'text.duplicate': 'error' } },
    });
    diff = await diffAudits(oldOut, newOut);
  });

  it('finds the clips added, removed, newly failing and fixed, with the errors behind each', () => {
    const c = diff.clips;
    expect(c.compared).toBe(true);
    expect([c.old, c.new]).toEqual([7, 7]);
    expect(c.added).toEqual({ count: 1, first: [{ id: 'LJ001-0107', errors: [] }] });
    expect(c.removed).toEqual({ count: 1, first: [{ id: 'LJ001-0007', errors: [] }] });
    expect(c.newlyFailing).toEqual({
      count: 2,
      first: [
        { id: 'LJ001-0002', errors: ['signal.too_short'] },
        { id: 'LJ001-0005', errors: ['text.duplicate'] },
      ],
    });
    expect(c.fixed).toEqual({ count: 1, first: [{ id: 'LJ001-0006', errors: ['text.unnormalized'] }] });
    expect(diff.differs).toBe(true);
    expect(auditDiffSchema.parse(diff)).toEqual(diff);
  });

  it('lists the figures that moved beyond the tolerance, and the settings that differ', async () => {
    const moved = new Map(diff.figures.moved.map((m) => [m.figure, m]));
    expect(moved.get('summary.dropped')).toEqual({ figure: 'summary.dropped', old: 1, new: 2, change: 1 });
    expect(moved.get('findings.text.unnormalized')).toMatchObject({ old: 1, new: 0, change: -1 });
    expect(moved.get('findings.signal.too_short')).toMatchObject({ old: 0, new: 1, change: null });
    expect(moved.has('summary.listed')).toBe(false); // 7 and 7
    expect(diff.config.map((s) => [s.setting, s.old, s.new])).toEqual([
      ['analyzers.signal.minDurationSec', '1', '2'],
      ['severity.text.duplicate', null, '"error"'],
    ]);

    // The tolerance is relative: at 10⁹ only the figures without a relative change (from zero, new, gone) remain.
    const loose = await diffAudits(oldOut, newOut, { tolerance: 1e9, show: 0 });
    expect(loose.figures.moved.every((m) => m.change === null)).toBe(true);
    expect(loose.clips.newlyFailing).toEqual({ count: 2, first: [] });
    const strict = await diffAudits(oldOut, newOut, { tolerance: 0 });
    expect(strict.figures.moved.length).toBeGreaterThan(diff.figures.moved.length);
  });

  it('given report.json files alone, compares the figures and says the clips could not be', async () => {
    const [a, b] = [tempDir(), tempDir()];
    copyFileSync(join(oldOut, 'report.json'), join(a, 'report.json'));
    mkdirSync(join(b, 'x'));
    copyFileSync(join(newOut, 'report.json'), join(b, 'x', 'report.json'));
    const limited = await diffAudits(join(a, 'report.json'), join(b, 'x', 'report.json'));
    expect(limited.clips.compared).toBe(false);
    expect(limited.clips.note).toMatch(/no clips\.jsonl beside .*report\.json/);
    expect(limited.figures).toEqual(diff.figures);
    expect(diffFails(limited)).toBe(true);
    expect(() => diffFails(limited, ['newly-failing'])).toThrow(InputError);
    expect(diffFails(limited, ['figures'])).toBe(true);
    expect(diffFails(diff, ['fixed'])).toBe(true);
    expect(parseFailOn('any')).toBeUndefined();
    expect(() => parseFailOn('newly-failing,broken')).toThrow(/unknown kind "broken"/);

    const interrupted = JSON.parse(readFileSync(join(a, 'report.json'), 'utf8'));
    interrupted.run.state = 'interrupted';
    writeFileSync(join(a, 'report.json'), JSON.stringify(interrupted));
    await expect(diffAudits(a, newOut)).rejects.toThrow(/interrupted/);
  });

  it('text output shows control characters in ids escaped, so an id cannot break a line or drive the terminal', () => {
    const crafted = structuredClone(diff);
    crafted.clips.added.first = [{ id: 'a\u001b[2Jb\nc', errors: [] }];
    const text = renderDiffText(crafted);
    expect(text).toContain('    a\\u001b[2Jb\\u000ac\n');
    expect(text).not.toContain('\u001b');
  });

  it('the CLI prints the diff as text or JSON and exits 1 when the audits differ, 0 when not, 2 on bad input', () => {
    const text = cli(['diff', oldOut, newOut]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('clips: 1 added, 1 removed, 2 newly failing, 1 fixed (7 → 7 in clips.jsonl)');
    expect(text.stdout).toMatch(
      /newly failing \(2\):\n {4}LJ001-0002 {2}signal\.too_short\n {4}LJ001-0005 {2}text\.duplicate/,
    );
    expect(text.stdout).toMatch(/summary\.dropped +1 → 2 +\+100 %/);
    expect(text.stdout).toMatch(/the audits differ beyond ±5 %/);

    const same = cli(['diff', oldOut, join(oldOut, 'report.json'), '--json']);
    expect(same.code, same.stderr).toBe(0);
    const parsed = auditDiffSchema.parse(JSON.parse(same.stdout));
    expect(parsed.differs).toBe(false);
    expect(parsed.figures.moved).toEqual([]);

    const bad = cli(['diff', oldOut, join(oldOut, 'nowhere')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('nowhere');
  });
});
