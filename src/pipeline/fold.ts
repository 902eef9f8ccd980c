import { datasetAnalyzers } from '../analyzers/dataset/index.js';
import type { DatasetAnalyzer, RunFacts } from '../analyzers/types.js';
import type { AuditConfig } from '../config/schema.js';
import type { ClipResult, Finding, Utterance } from '../types.js';
import type { ClipOutcome } from './clip.js';
import type { DatasetFindingsLine } from '../outputs/dataset-findings.js';
import { openKeyedSpill } from '../util/keyed-spill.js';
import { metricStats } from '../util/metric-stats.js';
import { clipTable } from './clip-table.js';
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
  // Every listed clip with its duration, whether it is dropped or trimmed and its late findings' key: 21–32 bytes a
  // clip, a corpus of millions fits. The tally marks the drops and trims in it.
  const listed = clipTable();
  const t = tally(config, listed);
  let analysed = 0;
  let unreadable = 0;
  let audioSec = 0;
  // A clip's late findings come from several analyzers, one after the other: keyed by the order the clip first had
  // one, so they come back together, and on disk, as a corpus of repeated transcripts has a million of them. A
  // clip's first line is its id and origin; each analyzer's findings follow as a line, without them.
  const late = openKeyedSpill('late');
  let lateClips = 0;

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
      for (const { name, acc } of accumulators) {
        const outcome = acc.finish(stats);
        dataset[name] = outcome.summary;
        t.late(outcome.clipFindings, (findings) => {
          const { clipId, origin } = findings[0];
          let key = listed.lateKey(clipId!);
          if (key === undefined) {
            listed.setLateKey(clipId!, (key = lateClips++));
            late.append(key, JSON.stringify({ id: clipId, ...(origin ? { origin } : {}) }));
          }
          late.append(key, JSON.stringify(findings.map(({ clipId: _c, origin: _o, ...f }) => f)));
        });
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
          clips: lateClips,
          *lines() {
            for (const [, lines] of late.groups()) {
              const line = JSON.parse(lines[0]) as DatasetFindingsLine;
              line.findings = [];
              for (let i = 1; i < lines.length; i++)
                for (const f of JSON.parse(lines[i]) as Finding[]) line.findings.push(f);
              yield line;
            }
          },
        },
        isKept: (id) => listed.has(id) && !listed.isDropped(id),
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
