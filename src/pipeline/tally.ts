import type { ClipFindingDraft, FindingDraft, MetricStats } from '../analyzers/types.js';
import { findingCatalog, resolveSeverity, type AuditConfig } from '../config/schema.js';
import type { DroppedClip, TrimmedClip } from '../outputs/curated-types.js';
import type { ClipRecords, Finding, Origin } from '../types.js';
import { clipTable, type ClipTable } from './clip-table.js';
import { openKeyedSpill } from '../util/keyed-spill.js';
import { openSpill } from '../util/spill.js';

const WORST_PER_CODE = 10;
const MAX_SOURCE_FINDINGS = 500;

/** How far past its threshold a finding is, to rank the worst clips; unitless. */
function excess(f: Finding): number {
  if (f.value === undefined || f.threshold === undefined) return 0;
  return Math.abs(f.value - f.threshold) / (Math.abs(f.threshold) || 1);
}

export type { ClipRecords };

/** A dropped record's first line on disk: a clip's id is its findings' `clipId` (a record holds one at least). */
type DroppedLine = DroppedClip;

/**
 * Applies severities, counts findings per code, keeps the worst clips per code, and remembers
 * which clips are dropped (any error) so the curated manifest and dropped.jsonl can be written.
 * Dropped and trimmed clips go to spill files (a dropped corpus must not fill memory); `close` removes them.
 * Which clips are dropped or trimmed, and their durations, are columns of `clips`, the fold's table of listed clips.
 */
export function tally(config: AuditConfig, clips: ClipTable = clipTable()) {
  // Clips (or source lines) per code: a count, not a set of ids, so memory does not grow with the corpus.
  const counts = new Map<string, number>();
  const worst = new Map<string, Finding[]>();
  const bySeverity = { error: 0, warning: 0, info: 0 };
  // Why and where, one JSON line a clip in the spills. A dropped clip's key in `clips` is the key its record is read
  // back under: its line in `droppedSpill`, or past those, the order it was first dropped late in.
  let dropped = 0;
  let trimmed = 0;
  const droppedSpill = openSpill('dropped');
  const trimSpill = openSpill('trims');
  // Errors found at the end, keyed as above, one JSON array a line: they join the clip's record when it is read back.
  // A clip only they drop has its record's origin and duration first, as a line of its own.
  const lateDropped = openKeyedSpill('dropped-late');
  let droppedSec = 0;
  // Where late keys start (the dropped spill's length when `late` is first called), and how many were given.
  let lateFrom = Infinity;
  let lateDrops = 0;
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

  /** Counts findings (a code counts one clip however often it holds) and keeps the worst. */
  function count(findings: Finding[]): Finding[] {
    const codes = new Set<string>();
    for (const f of findings) {
      bySeverity[f.severity]++;
      if (!codes.has(f.code)) countCode(f.code);
      codes.add(f.code);
      keepWorst(f);
    }
    return findings;
  }

  /** One clip's late findings: counted, and its errors kept on disk to join its dropped record. */
  function lateClip(id: string, drafts: ClipFindingDraft[]): Finding[] {
    const origin = drafts[0].origin ?? { file: '' };
    const findings = count(apply(drafts, id, origin));
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length === 0) return findings;
    let key = clips.droppedKey(id);
    if (key === undefined) {
      key = lateFrom + lateDrops++;
      const durationSec = clips.duration(id);
      clips.drop(id, key);
      dropped += 1;
      droppedSec += durationSec;
      if (clips.isTrimmed(id)) trimsDroppedLate += 1; // trimmed, then dropped late
      const first: Omit<DroppedLine, 'findings'> = { origin, durationSec };
      lateDropped.append(key, JSON.stringify(first));
    }
    lateDropped.append(key, JSON.stringify(errors));
    return findings;
  }

  return {
    /**
     * Records a clip's findings, all of them at once (a code counts one clip however often it holds);
     * `durationSec` counts toward hours lost when it is dropped.
     */
    clip(id: string, origin: Origin, durationSec: number, drafts: FindingDraft[]): Finding[] {
      const findings = count(apply(drafts, id, origin));
      const errors = findings.filter((f) => f.severity === 'error');
      clips.setDuration(id, durationSec);
      if (errors.length > 0) {
        if (clips.drop(id, droppedSpill.count)) {
          dropped += 1;
          droppedSec += durationSec;
        }
        const entry: DroppedLine = { origin, durationSec, findings: errors };
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
      if (reasons.length === 0 || clips.isDropped(id) || !(end > start)) return;
      if (!clips.trim(id)) return;
      trimmed += 1;
      const filters = {
        ...(metrics['noise.high_pass_hz'] !== undefined ? { highPassHz: metrics['noise.high_pass_hz'] } : {}),
        ...(metrics['noise.hum_hz'] !== undefined ? { notchHz: metrics['noise.hum_hz'] } : {}),
      };
      const entry: TrimmedClip = {
        origin,
        cuts: trims,
        startSec: start,
        endSec: end,
        ...filters,
        findings: reasons,
      };
      trimSpill.append(JSON.stringify(entry));
    },
    /**
     * Findings only known at the end (outliers, duplicates, format): they may drop a clip too. Read once, in order,
     * so they can stream from an analyzer's spill file; a clip's findings must come together (one run of lines).
     * `onClip` gets each clip's findings, severities applied (none when all are off). A clip dropped here counts the
     * duration `clips` holds for it toward hours lost.
     */
    late(drafts: Iterable<ClipFindingDraft>, onClip?: (findings: Finding[]) => void): void {
      lateFrom = Math.min(lateFrom, droppedSpill.count);
      let run: ClipFindingDraft[] = [];
      const flush = () => {
        if (run.length === 0) return;
        const findings = lateClip(run[0].clipId, run);
        if (findings.length > 0) onClip?.(findings);
        run = [];
      };
      for (const d of drafts) {
        if (run.length > 0 && run[0].clipId !== d.clipId) flush();
        run.push(d);
      }
      flush();
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
      // Records are parsed as they are handed out and joined in place (no copies): the consumer holds one at a time.
      const idOf = (d: { findings: Finding[] }) => d.findings[0].clipId!;
      const join = (d: DroppedClip, lines: string[], from: number) => {
        for (let i = from; i < lines.length; i++) for (const f of JSON.parse(lines[i]) as Finding[]) d.findings.push(f);
      };
      const droppedClips: DroppedClips = {
        size: dropped,
        durationSec: droppedSec,
        has: (id) => clips.isDropped(id),
        *entries() {
          // One record a clip, in the order clips were first dropped, with every error: the late errors of a clip
          // dropped before (keyed by its line) join its record; clips only late errors dropped follow, by key.
          const late = lateDropped.groups();
          let next = late.next();
          let index = 0;
          for (const line of droppedSpill.lines()) {
            const d = JSON.parse(line) as DroppedClip;
            if (!next.done && next.value[0] === index) {
              join(d, next.value[1], 0);
              next = late.next();
            }
            index += 1;
            d.findings.forEach(rank);
            yield [idOf(d), d];
          }
          for (; !next.done; next = late.next()) {
            const lines = next.value[1];
            const { origin, durationSec } = JSON.parse(lines[0]) as Omit<DroppedLine, 'findings'>;
            const d: DroppedClip = { origin, durationSec, findings: [] };
            join(d, lines, 1);
            d.findings.forEach(rank);
            yield [idOf(d), d];
          }
        },
      };
      const trims: ClipRecords<TrimmedClip> = {
        size: trimmed - trimsDroppedLate,
        has: (id) => clips.isTrimmed(id) && !clips.isDropped(id),
        *entries() {
          for (const line of trimSpill.lines()) {
            const t = JSON.parse(line) as TrimmedClip;
            const id = idOf(t);
            if (clips.isDropped(id)) continue;
            t.findings.forEach(rank);
            yield [id, t];
          }
        },
      };
      return {
        findings,
        bySeverity: { ...bySeverity },
        sourceFindings: [...sourceFindings],
        dropped: droppedClips,
        trims,
      };
    },
    /** Removes the spill files; the results' `entries` cannot be read after. */
    close() {
      droppedSpill.close();
      trimSpill.close();
      lateDropped.close();
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
