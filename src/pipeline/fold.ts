import { datasetAnalyzers } from '../analyzers/dataset/index.js';
import type { DatasetAnalyzer, RunFacts } from '../analyzers/types.js';
import type { AuditConfig } from '../config/schema.js';
import type { ClipResult, Finding, Utterance } from '../types.js';
import type { ClipOutcome } from './clip.js';
import type { DatasetFindingsLine } from '../outputs/dataset-findings.js';
import { idTable } from '../util/id-table.js';
import { openKeyedSpill } from '../util/keyed-spill.js';
import { metricStats } from '../util/metric-stats.js';
import { tally, type TallyResult } from './tally.js';

/** What the dataset stage knows once every clip is in: read-only. */
export interface FoldResult {
  listed: number;
  analysed: number;
  unreadable: number;
  audioSec: number;
  tally: TallyResult;
  /** Each dataset analyzer's summary, by name (`dataset.<name>` in report.json). */
  dataset: Record<string, unknown>;
  /** Findings only the whole set shows (outliers, duplicates, off-majority formats), severities applied. */
  lateFindings: LateFindings;
  isKept(id: string): boolean;
}

/** Late findings on disk, one line a clip (in the order clips first had one), read back as often as asked. */
export interface LateFindings {
  /** Clips with at least one. */
  readonly clips: number;
  lines(): Generator<DatasetFindingsLine>;
}

/**
 * The dataset stage: clip outcomes arrive in source order (whatever the number of workers), severities apply,
 * and every dataset analyzer folds each analysed clip. Only `finish` looks at the whole.
 */
export function openFold(config: AuditConfig, facts: RunFacts) {
  const configs = config.analyzers as Record<string, unknown>;
  const accumulators = (datasetAnalyzers as readonly DatasetAnalyzer[]).map((a) => ({
    name: a.name,
    acc: a.create(configs[a.name], facts),
  }));
  const stats = metricStats({ exactUpTo: config.analyzers.distributions.exactUpTo });
  const t = tally(config);
  // Every listed id with its duration (0 until analysed): 24 bytes a clip, a corpus of millions fits.
  const listed = idTable();
  let analysed = 0;
  let unreadable = 0;
  let audioSec = 0;
  // A clip's late findings come from several analyzers, one after the other: keyed by the order the clip first had
  // one, so they come back together, and on disk, as a corpus of repeated transcripts has a million of them.
  const late = openKeyedSpill('late');

  return {
    /** A problem of the manifests themselves (a malformed line, a missing speaker table). */
    source(finding: Finding): void {
      t.source(finding);
    },
    /** Records the clip as listed; when its id repeats an earlier one, returns the finding to pass to `source`. */
    list(u: Utterance): Finding | undefined {
      if (listed.add(u.id)) return undefined;
      const where = `${u.origin.file}:${u.origin.line ?? u.origin.row}`;
      return {
        code: 'source.duplicate_id',
        severity: 'error',
        message: `${where}: clip id ${u.id} appears again; this repeat is skipped`,
        origin: u.origin,
        clipId: u.id,
      };
    },
    /** Applies severities to a clip's findings and folds it; returns its line for clips.jsonl. */
    clip({ clip, drafts, analysed: ok }: ClipOutcome): ClipResult {
      const duration = clip.metrics['signal.duration_sec'] ?? 0;
      const findings = t.clip(clip.id, clip.origin, duration, drafts);
      t.trim(clip.id, clip.origin, clip.metrics, findings);
      const result = { ...clip, findings };
      if (ok) {
        analysed += 1;
        audioSec += duration;
        listed.set(clip.id, duration);
        stats.push(clip.metrics);
        for (const { acc } of accumulators) acc.add(result);
      }
      if (!ok || findings.some((f) => f.code === 'audio.truncated')) unreadable += 1;
      return result;
    },
    /**
     * Runs every dataset analyzer's end-of-run pass, then the tally's. `onStep` hears the name of each step as it
     * ends (a dataset analyzer's name, then `tally`): a benchmark reads the memory there.
     */
    finish(onStep?: (step: string) => void): FoldResult {
      const dataset: Record<string, unknown> = {};
      const lateIds = idTable(); // clip → its key in `late`
      for (const { name, acc } of accumulators) {
        const outcome = acc.finish(stats);
        dataset[name] = outcome.summary;
        t.late(
          outcome.clipFindings,
          (id) => listed.get(id) ?? 0,
          (findings) => {
            const id = findings[0].clipId!;
            let key = lateIds.get(id);
            if (key === undefined) lateIds.add(id, (key = lateIds.size));
            late.append(key, JSON.stringify(findings));
          },
        );
        onStep?.(name);
      }
      const result = t.finish(stats);
      onStep?.('tally');
      return {
        listed: listed.size,
        analysed,
        unreadable,
        audioSec,
        tally: result,
        dataset,
        lateFindings: {
          clips: lateIds.size,
          *lines() {
            for (const [, lines] of late.groups()) {
              const all = lines.flatMap((l) => JSON.parse(l) as Finding[]);
              const { clipId, origin } = all[0];
              const findings = all.map(({ clipId: _c, origin: _o, ...f }) => f);
              yield { id: clipId!, ...(origin ? { origin } : {}), findings };
            }
          },
        },
        isKept: (id) => listed.has(id) && !result.dropped.has(id),
      };
    },
    /** Removes what the fold spilled to disk; the run calls it once its outputs are written. */
    close(): void {
      t.close();
      late.close();
      for (const { acc } of accumulators) acc.close?.();
    },
  };
}
