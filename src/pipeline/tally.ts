import type { ClipFindingDraft, FindingDraft, MetricStats } from '../analyzers/types.js';
import { findingCatalog, resolveSeverity, type AuditConfig } from '../config/schema.js';
import type { DroppedClip, TrimmedClip } from '../outputs/curated.js';
import type { Finding, Origin } from '../types.js';

const WORST_PER_CODE = 10;
const MAX_SOURCE_FINDINGS = 500;

/** How far past its threshold a finding is, to rank the worst clips; unitless. */
function excess(f: Finding): number {
  if (f.value === undefined || f.threshold === undefined) return 0;
  return Math.abs(f.value - f.threshold) / (Math.abs(f.threshold) || 1);
}

/**
 * Applies severities, counts findings per code, keeps the worst clips per code, and remembers
 * which clips are dropped (any error) so the curated manifest and dropped.jsonl can be written.
 */
export function tally(config: AuditConfig) {
  // Clips (or source lines) per code: a count, not a set of ids, so memory does not grow with the corpus.
  const counts = new Map<string, number>();
  const worst = new Map<string, Finding[]>();
  const bySeverity = { error: 0, warning: 0, info: 0 };
  const dropped = new Map<string, DroppedClip>();
  const trims = new Map<string, TrimmedClip>();
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
        if (f.severity === 'error') {
          const entry = dropped.get(id) ?? { origin, durationSec, findings: [] };
          entry.findings.push(f);
          dropped.set(id, entry);
        }
      }
      return findings;
    },
    /** Keeps a clip with a suggested trim when its only remedy-able findings are trim ones and nothing drops it. */
    trim(id: string, origin: Origin, metrics: Record<string, number>, findings: Finding[]) {
      const reasons = findings.filter((f) => findingCatalog[f.code]?.remedy === 'trim' && f.severity !== 'error');
      const start = metrics['silence.trim_start_sec'];
      const end = metrics['silence.trim_end_sec'];
      if (reasons.length === 0 || dropped.has(id) || !(end > start)) return;
      trims.set(id, { origin, startSec: start, endSec: end, findings: reasons });
    },
    /** Findings only known at the end (outliers, duplicates, format): they may drop a clip too. */
    late(drafts: ClipFindingDraft[], durationOf: (id: string) => number): Finding[] {
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
      const keptTrims = new Map([...trims].filter(([id]) => !dropped.has(id)));
      const ranked = [
        ...[...worst.values()].flat(),
        ...[...dropped.values(), ...keptTrims.values()].flatMap((d) => d.findings),
      ];
      for (const f of ranked) {
        const metric = metricOfCode.get(f.code);
        if (!metric || f.value === undefined) continue;
        const p = stats.get(metric)?.rank(f.value) ?? NaN;
        if (Number.isFinite(p)) f.percentile = Math.round(p * 10) / 10;
      }
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
      return {
        findings,
        bySeverity: { ...bySeverity },
        sourceFindings: [...sourceFindings],
        dropped,
        trims: keptTrims,
      };
    },
  };
}

export interface TallyResult {
  findings: Record<string, { severity: Finding['severity']; description: string; clips: number; worst: Finding[] }>;
  bySeverity: Readonly<Record<Finding['severity'], number>>;
  sourceFindings: readonly Finding[];
  dropped: ReadonlyMap<string, DroppedClip>;
  trims: ReadonlyMap<string, TrimmedClip>;
}
