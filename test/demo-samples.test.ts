import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit, findingCatalog, reportSchema, type AuditReport } from '../src/index.js';
import { CLEAN_IDS, MALFORMED_LINE, MISSING, VARIANTS } from '../scripts/sample-variants.js';
import { SAMPLES, tempDir } from './helpers/run.js';

// The bundled demo set: 7 real LJSpeech clips plus one variant per defect (scripts/make-samples.ts).
describe('audit of data-samples/ljspeech', () => {
  let out: string;
  let report: AuditReport;
  let clips: Map<string, { findings: { code: string; severity: string }[]; metrics: Record<string, number> }>;

  beforeAll(async () => {
    out = tempDir();
    ({ report } = await audit({ source: SAMPLES, out }));
    clips = new Map(
      readFileSync(join(out, 'clips.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((c) => [c.id, c]),
    );
  });

  const trimmable = (v: { expectedCodes: string[] }) =>
    v.expectedCodes.every((c) => findingCatalog[c]?.remedy === 'trim');
  const readJsonl = (name: string) =>
    readFileSync(join(out, 'curated', name), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  it.each(
    VARIANTS.concat(MISSING)
      .filter((v) => !trimmable(v))
      .map((v) => [v.id, v] as const),
  )('flags %s for its defect and drops it', (id, v) => {
    const codes = report.findings;
    const clip = clips.get(id)!;
    expect(clip, `${id} in clips.jsonl`).toBeDefined();
    for (const code of v.expectedCodes) {
      expect(clip.findings.map((f) => f.code)).toContain(code);
      expect(codes[code].clips).toBeGreaterThanOrEqual(1);
    }
    const entry = readJsonl('dropped.jsonl').find((d) => d.id === id);
    expect(entry?.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(v.expectedCodes));
  });

  it.each(VARIANTS.filter(trimmable).map((v) => [v.id, v] as const))(
    'flags %s for its defect and keeps it with a trim to the speech',
    (id, v) => {
      expect(clips.get(id)!.findings.map((f) => f.code)).toEqual(expect.arrayContaining(v.expectedCodes));
      const trim = readJsonl('trims.jsonl').find((t) => t.id === id);
      // 2.5 s of padding each side, 0.1 s of margin left: the cut lands within 50 ms of the padding's end.
      expect(Math.abs(trim.startSec - 2.4)).toBeLessThan(0.05);
      expect(Math.abs(clips.get(id)!.metrics['signal.duration_sec'] - trim.endSec - 2.4)).toBeLessThan(0.15);
      expect(trim.reasons.map((r: { code: string; threshold: number }) => r.code)).toEqual(
        expect.arrayContaining(v.expectedCodes),
      );
      expect(trim.reasons[0].percentile).toBeGreaterThan(90);
      expect(readFileSync(join(out, 'curated', 'metadata.csv'), 'utf8')).toContain(`${id}|`);
    },
  );

  it('keeps every clean clip with no error finding', () => {
    for (const id of CLEAN_IDS) {
      const errors = clips.get(id)!.findings.filter((f) => f.severity === 'error');
      expect(errors, id).toEqual([]);
    }
    const trimmed = VARIANTS.filter(trimmable).length;
    expect(report.summary.kept).toBe(CLEAN_IDS.length + trimmed);
    expect(report.summary.trimmed).toBe(trimmed);
    expect(report.summary.dropped).toBe(VARIANTS.length + 1 - trimmed);
  });

  it('writes the curated metadata.csv as the kept rows, byte-identical and in order', () => {
    const original = readFileSync(join(SAMPLES, 'metadata.csv'), 'utf8').split(/(?<=\n)/);
    const curated = readFileSync(join(out, 'curated', 'metadata.csv'), 'utf8');
    const keptIds = [...CLEAN_IDS, ...VARIANTS.filter(trimmable).map((v) => v.id)];
    const expected = original.filter((line) => keptIds.includes(line.split('|')[0])).join('');
    expect(curated).toBe(expected);
  });

  it('records the malformed line with file and line, and goes on', () => {
    const f = report.sourceFindings.find((s) => s.code === 'source.malformed_line');
    expect(f?.origin).toEqual({ file: 'metadata.csv', line: MALFORMED_LINE });
    expect(f?.message).toContain(`metadata.csv:${MALFORMED_LINE}`);
    expect(report.summary.malformedLines).toBe(1);
    expect(report.summary.listed).toBe(CLEAN_IDS.length + VARIANTS.length + 1);
  });

  it('writes a report.json that validates against the schema, and a readable report.md', () => {
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const parsed = reportSchema.safeParse(json);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Totals');
    expect(md).toContain('## Distributions');
    for (const v of VARIANTS) expect(md).toContain(v.id);
  });

  it('says where each dropping value sits in the dataset', () => {
    const worst = report.findings['silence.leading'].worst[0];
    expect(worst.clipId).toBe('LJ001-0002_padded');
    expect(worst.percentile).toBeGreaterThan(90);
    expect(worst.threshold).toBe(report.config.analyzers.silence.maxLeadingSec);
  });

  it('appends one clips.jsonl line per listed clip', () => {
    expect(clips.size).toBe(report.summary.listed);
  });
});
