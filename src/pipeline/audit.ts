import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { datasetAnalyzers } from '../analyzers/dataset/index.js';
import type { DatasetAnalyzer, RunFacts, SourceInfo } from '../analyzers/types.js';
import { configSchema, type AuditConfigInput } from '../config/schema.js';
import { writeCurated } from '../outputs/curated.js';
import { jsonlWriter } from '../util/jsonl.js';
import { renderMarkdown } from '../outputs/report-md.js';
import type { AuditReport } from '../outputs/report-schema.js';
import { selectSource } from '../sources/index.js';
import type { SourceOptions } from '../sources/types.js';
import { compileAlphabet } from '../text/alphabet.js';
import { VERSION } from '../version.js';
import { analyzeClip } from './clip.js';
import { metricColumns, tally } from './tally.js';
import { InputError } from '../errors.js';

export interface AuditProgress {
  clips: number;
  audioSec: number;
  elapsedSec: number;
}

export interface AuditOptions {
  /** A dataset folder, or a manifest file inside one (NeMo JSONL, CSV/TSV). */
  source: string;
  /** `auto` (default) or a layout name such as `ljspeech`. */
  format?: string;
  /** Layout choices: VCTK microphone, manifest file, column mapping. */
  sourceOptions?: SourceOptions;
  /** Output folder for report.json, report.md, clips.jsonl and curated/; nothing is written when absent. */
  out?: string;
  /** Thresholds, severities and gate rules; validated, defaults filled in. */
  config?: AuditConfigInput;
  /** `deep` adds the costly checks: the transcript–audio alignment through espeak-ng. */
  profile?: 'default' | 'deep';
  /** Analyse at most this many utterances (a quick look at a large set). */
  limit?: number;
  onProgress?: (p: AuditProgress) => void;
}

export interface AuditResult {
  report: AuditReport;
  /** Files written, relative to `out`. */
  files: string[];
}

export class AuditInputError extends InputError {}

/** A URI (`hf://…`) is its own root; a manifest file names its folder as the root, its paths resolving from there. */
async function locate(given: string, options: SourceOptions): Promise<{ root: string; sourceOptions: SourceOptions }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) return { root: given, sourceOptions: { ...options } };
  const path = resolve(given);
  const info = await stat(path).catch(() => undefined);
  if (!info || !(info.isDirectory() || info.isFile())) throw new AuditInputError(`${given}: no such folder or file`);
  return info.isFile()
    ? { root: dirname(path), sourceOptions: { ...options, manifest: basename(path) } }
    : { root: path, sourceOptions: { ...options } };
}

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const parsed = configSchema.safeParse(options.config ?? {});
  if (!parsed.success)
    throw new AuditInputError(
      `invalid config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const config = parsed.data;
  if (options.profile === 'deep') config.analyzers.alignment.enabled = true;
  const { root, sourceOptions } = await locate(options.source, options.sourceOptions ?? {});
  const source = await selectSource(root, options.format, sourceOptions);
  const facts = source.inspect ? await source.inspect(root, sourceOptions) : {};
  const title = facts.title ?? source.title;
  const info: SourceInfo = {
    name: source.name,
    language: facts.language ?? source.language,
    nominalFormat: facts.nominalFormat ?? source.nominalFormat,
    expectsNormalizedText: facts.expectsNormalizedText ?? source.expectsNormalizedText,
  };
  const runFacts: RunFacts = { source: info, alphabet: compileAlphabet(config.analyzers.text) };

  const startedAt = new Date();
  const cpu0 = process.cpuUsage();
  const files: string[] = [];
  if (options.out) await mkdir(options.out, { recursive: true });
  const clipsOut = options.out ? jsonlWriter(join(options.out, 'clips.jsonl')) : undefined;
  if (clipsOut) files.push('clips.jsonl');

  const analyzerConfigs = config.analyzers as Record<string, unknown>;
  const accumulators = (datasetAnalyzers as readonly DatasetAnalyzer[]).map((a) => ({
    name: a.name,
    acc: a.create(analyzerConfigs[a.name], runFacts),
  }));
  const columns = metricColumns();
  const t = tally(config);
  const listed = new Set<string>();
  const durations = new Map<string, number>();
  let analysed = 0;
  let unreadable = 0;
  let audioSec = 0;
  let lastProgress = startedAt.getTime();

  // A source that fails part-way (a Hub shard that cannot be fetched) still leaves every finished clip in clips.jsonl.
  try {
    for await (const item of source.read(root, sourceOptions)) {
      if ('finding' in item) {
        t.source(item.finding);
        continue;
      }
      const u = item.utterance;
      if (listed.has(u.id)) {
        t.source({
          code: 'source.duplicate_id',
          severity: 'error',
          message: `${u.origin.file}:${u.origin.line ?? u.origin.row}: clip id ${u.id} appears again; this repeat is skipped`,
          origin: u.origin,
          clipId: u.id,
        });
        continue;
      }
      if (options.limit !== undefined && listed.size >= options.limit) break;
      listed.add(u.id);
      const { clip, drafts, analysed: ok } = await analyzeClip(u, config, runFacts);
      const duration = clip.metrics['signal.duration_sec'] ?? 0;
      clip.findings = t.clip(u.id, u.origin, duration, drafts);
      t.trim(u.id, u.origin, clip.metrics, clip.findings);
      if (ok) {
        analysed += 1;
        audioSec += duration;
        durations.set(u.id, duration);
        columns.push(clip.metrics);
        for (const { acc } of accumulators) acc.add(clip);
      }
      if (!ok || clip.findings.some((f) => f.code === 'audio.truncated')) unreadable += 1;
      await clipsOut?.write(clip);
      const now = Date.now();
      if (options.onProgress && now - lastProgress > 1000) {
        lastProgress = now;
        options.onProgress({ clips: listed.size, audioSec, elapsedSec: (now - startedAt.getTime()) / 1000 });
      }
    }
  } finally {
    await clipsOut?.close();
  }

  const dataset: Record<string, unknown> = {};
  for (const { name, acc } of accumulators) {
    const outcome = acc.finish(columns);
    dataset[name] = outcome.summary;
    t.late(outcome.clipFindings, (id) => durations.get(id) ?? 0);
  }
  t.annotate(columns);

  let droppedSec = 0;
  for (const d of t.dropped.values()) droppedSec += d.durationSec;
  const trims = t.trims();
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const finishedAt = new Date();
  const findings = t.summary();
  const report: AuditReport = {
    tool: { name: 'tts-audit', version: VERSION },
    source: {
      root: options.source,
      format: source.name,
      title,
      ...(info.nominalFormat ? { nominalFormat: info.nominalFormat } : {}),
    },
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallSec: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      cpuSec,
      audioSec,
      realtimeFactor: cpuSec > 0 ? audioSec / cpuSec : null,
    },
    summary: {
      listed: listed.size,
      analysed,
      unreadable,
      kept: listed.size - t.dropped.size,
      trimmed: trims.size,
      dropped: t.dropped.size,
      hoursAnalysed: audioSec / 3600,
      hoursKept: Math.max(0, audioSec - droppedSec) / 3600,
      malformedLines: findings['source.malformed_line']?.clips ?? 0,
      findingsBySeverity: { ...t.bySeverity },
    },
    findings,
    sourceFindings: t.sourceFindings,
    dataset: dataset as AuditReport['dataset'],
    config,
  };

  if (options.out) {
    await writeFile(join(options.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    await writeFile(join(options.out, 'report.md'), renderMarkdown(report));
    files.push('report.json', 'report.md');
    files.push(
      ...(await writeCurated({
        source,
        root,
        options: sourceOptions,
        outDir: options.out,
        isKept: (id) => listed.has(id) && !t.isDropped(id),
        dropped: t.dropped,
        trims,
      })),
    );
  }
  return { report, files };
}
