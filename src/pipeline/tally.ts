import type { ClipFindingDraft, FindingDraft, MetricStats } from '../analyzers/types.js';
import { findingCatalog, resolveSeverity, type AuditConfig } from '../config/schema.js';
import type { DroppedClip, TrimmedClip } from '../outputs/curated-types.js';
import type { ClipRecords, Finding, Origin } from '../types.js';
import { idTable } from '../util/id-table.js';
import { openSpill } from '../util/spill.js';

const WORST_PER_CODE = 10;
const MAX_SOURCE_FINDINGS = 500;

/** How far past its threshold a finding is, to rank the worst clips; unitless. */
function excess(f: Finding): number {
  if (f.value === undefined || f.threshold === undefined) return 0;
  return Math.abs(f.value - f.threshold) / (Math.abs(f.threshold) || 1);
}

export type { ClipRecords };

/**
 * Applies severities, counts findings per code, keeps the worst clips per code, and remembers
 * which clips are dropped (any error) so the curated manifest and dropped.jsonl can be written.
 * Dropped and trimmed clips go to spill files (a dropped corpus must not fill memory); `close` removes them.
 */
export function tally(config: AuditConfig) {
  // Clips (or source lines) per code: a count, not a set of ids, so memory does not grow with the corpus.
  const counts = new Map<string, number>();
  const worst = new Map<string, Finding[]>();
  const bySeverity = { error: 0, warning: 0, info: 0 };
  // Ids in 24-byte slots; why and where, one JSON line a clip in the spills.
  const droppedIds = idTable();
  const trimIds = idTable();
  const droppedSpill = openSpill('dropped');
  const trimSpill = openSpill('trims');
  let droppedSec = 0;
  // Spill lines from here on were written by `late`: they may repeat a clip dropped earlier.
  let lateFrom = Infinity;
  let trimsDroppedLate = 0;
  const sourceFindings: Finding[] = [];
  // A code always measures the same metric (silence.leading → silence.leading_sec).
  const metricOfCode = new Map<string, string>();

  const countCode = (code: string) => counts.set(code, (counts.get(code) ?? 0) + 1);

  function keepWorst(f: Finding) {
    const list = worst.get(f.code) ?? [];
    list.push(f);
    list.sort((a, b) => excess(b) - excess(a));
    if (list.length > WORST_PER_CODE) list.length = WORST_PER_CODE;
    worst.set(f.code, list);
  }

  /** Turns drafts into findings with severity; returns them (off ones removed). */
  function apply(drafts: FindingDraft[], clipId: string | undefined, origin: Origin | undefined): Finding[] {
    const out: Finding[] = [];
    for (const d of drafts) {
      if (d.metric) metricOfCode.set(d.code, d.metric);
      const severity = resolveSeverity(config, d.code);
      if (severity === 'off') continue;
      out.push({ ...d, severity, ...(clipId !== undefined ? { clipId } : {}), ...(origin ? { origin } : {}) });
    }
    return out;
  }

  return {
    /**
     * Records a clip's findings, all of them at once (a code counts one clip however often it holds);
     * `durationSec` counts toward hours lost when it is dropped.
     */
    clip(id: string, origin: Origin, durationSec: number, drafts: FindingDraft[]): Finding[] {
      const findings = apply(drafts, id, origin);
      const codes = new Set<string>();
      for (const f of findings) {
        bySeverity[f.severity]++;
        if (!codes.has(f.code)) countCode(f.code);
        codes.add(f.code);
        keepWorst(f);
      }
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length > 0) {
        if (droppedIds.add(id, durationSec)) {
          droppedSec += durationSec;
          if (lateFrom !== Infinity && trimIds.has(id)) trimsDroppedLate += 1; // trimmed, then dropped late
        }
        const entry: DroppedClip & { id: string } = { id, origin, durationSec, findings: errors };
        droppedSpill.append(JSON.stringify(entry));
      }
      return findings;
    },
    /**
     * Keeps a clip with a suggested trim (and filter) when it has findings a trim or a filter repairs and nothing
     * drops it; a clip to filter only keeps its whole length.
     */
    trim(id: string, origin: Origin, metrics: Record<string, number>, findings: Finding[]) {
      const reasons = findings.filter((f) => findingCatalog[f.code]?.remedy !== undefined && f.severity !== 'error');
      const trims = reasons.some((f) => findingCatalog[f.code]?.remedy === 'trim');
      const start = trims ? metrics['silence.trim_start_sec'] : 0;
      const end = metrics[trims ? 'silence.trim_end_sec' : 'signal.duration_sec'];
      if (reasons.length === 0 || droppedIds.has(id) || !(end > start)) return;
      if (!trimIds.add(id)) return;
      const filters = {
        ...(metrics['noise.high_pass_hz'] !== undefined ? { highPassHz: metrics['noise.high_pass_hz'] } : {}),
        ...(metrics['noise.hum_hz'] !== undefined ? { notchHz: metrics['noise.hum_hz'] } : {}),
      };
      const entry: TrimmedClip & { id: string } = {
        id,
        origin,
        cuts: trims,
        startSec: start,
        endSec: end,
        ...filters,
        findings: reasons,
      };
      trimSpill.append(JSON.stringify(entry));
    },
    /** Findings only known at the end (outliers, duplicates, format): they may drop a clip too. */
    late(drafts: ClipFindingDraft[], durationOf: (id: string) => number): Finding[] {
      lateFrom = Math.min(lateFrom, droppedSpill.count);
      const byClip = new Map<string, ClipFindingDraft[]>();
      for (const d of drafts) byClip.set(d.clipId, [...(byClip.get(d.clipId) ?? []), d]);
      const all: Finding[] = [];
      for (const [id, own] of byClip) all.push(...this.clip(id, own[0].origin ?? { file: '' }, durationOf(id), own));
      return all;
    },
    source(draft: Finding) {
      const severity = resolveSeverity(config, draft.code);
      if (severity === 'off') return;
      const f = { ...draft, severity };
      bySeverity[severity]++;
      countCode(f.code);
      if (sourceFindings.length < MAX_SOURCE_FINDINGS) sourceFindings.push(f);
    },
    /**
     * Everything the report and the curated outputs need, read-only. Findings get their percentile within their
     * metric's distribution, now that the dataset is known; trims of clips a late finding dropped are left out.
     */
    finish(stats: MetricStats): TallyResult {
      const rank = (f: Finding) => {
        const metric = metricOfCode.get(f.code);
        if (!metric || f.value === undefined) return;
        const p = stats.get(metric)?.rank(f.value) ?? NaN;
        if (Number.isFinite(p)) f.percentile = Math.round(p * 10) / 10;
      };
      for (const f of [...worst.values()].flat()) rank(f);
      const lateStart = Math.min(lateFrom, droppedSpill.count);
      const findings: TallyResult['findings'] = {};
      for (const [code, c] of counts) {
        const severity = resolveSeverity(config, code);
        if (severity === 'off') continue;
        findings[code] = {
          severity,
          description: findingCatalog[code]?.description ?? '',
          clips: c,
          worst: worst.get(code) ?? [],
        };
      }
      const dropped: DroppedClips = {
        size: droppedIds.size,
        durationSec: droppedSec,
        has: (id) => droppedIds.has(id),
        *entries() {
          // One record a clip, in the order clips were first dropped, with every error: a late finding's
          // record (few: outliers, duplicates) joins the clip's own, which comes first.
          const late = new Map<string, DroppedClip>();
          let index = 0;
          for (const line of droppedSpill.lines()) {
            if (index++ < lateStart) continue;
            const { id, ...d } = JSON.parse(line) as DroppedClip & { id: string };
            const had = late.get(id);
            if (had) had.findings.push(...d.findings);
            else late.set(id, d);
          }
          index = 0;
          for (const line of droppedSpill.lines()) {
            if (index++ >= lateStart) break;
            const { id, ...d } = JSON.parse(line) as DroppedClip & { id: string };
            const more = late.get(id);
            if (more) d.findings.push(...more.findings);
            late.delete(id);
            d.findings.forEach(rank);
            yield [id, d];
          }
          for (const [id, d] of late) {
            d.findings.forEach(rank);
            yield [id, d];
          }
        },
      };
      const trims: ClipRecords<TrimmedClip> = {
        size: trimIds.size - trimsDroppedLate,
        has: (id) => trimIds.has(id) && !droppedIds.has(id),
        *entries() {
          for (const line of trimSpill.lines()) {
            const { id, ...t } = JSON.parse(line) as TrimmedClip & { id: string };
            if (droppedIds.has(id)) continue;
            t.findings.forEach(rank);
            yield [id, t];
          }
        },
      };
      return { findings, bySeverity: { ...bySeverity }, sourceFindings: [...sourceFindings], dropped, trims };
    },
    /** Removes the spill files; the results' `entries` cannot be read after. */
    close() {
      droppedSpill.close();
      trimSpill.close();
    },
  };
}

export interface DroppedClips extends ClipRecords<DroppedClip> {
  /** Audio of the dropped clips, seconds. */
  readonly durationSec: number;
}

export interface TallyResult {
  findings: Record<string, { severity: Finding['severity']; description: string; clips: number; worst: Finding[] }>;
  bySeverity: Readonly<Record<Finding['severity'], number>>;
  sourceFindings: readonly Finding[];
  dropped: DroppedClips;
  trims: ClipRecords<TrimmedClip>;
}
