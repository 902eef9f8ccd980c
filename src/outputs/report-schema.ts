import { z } from 'zod';
import { datasetAnalyzers, type DatasetAnalyzers } from '../analyzers/dataset/index.js';
import { configSchema } from '../config/schema.js';

const severity = z.enum(['error', 'warning', 'info']);
const origin = z.object({ file: z.string(), line: z.number().int().optional(), row: z.number().int().optional() });

export const findingSchema = z.object({
  code: z.string(),
  severity,
  message: z.string(),
  value: z.number().optional(),
  threshold: z.number().optional(),
  unit: z.string().optional(),
  metric: z.string().optional().describe('the clip metric `value` comes from'),
  percentile: z
    .number()
    .optional()
    .describe("where `value` sits in the dataset's distribution of the same metric (0–100)"),
  clipId: z.string().optional(),
  origin: origin.optional(),
});

/** A clip among a finding's worst, with what a reviewer needs to find and hear it without the clips log. */
export const worstClipSchema = findingSchema.extend({
  transcript: z.string().optional().describe("the clip's transcript as the manifest gives it"),
  audioPath: z.string().optional().describe("the clip's audio, relative to the dataset root (or a URI)"),
});
export type WorstClip = z.output<typeof worstClipSchema>;

// Each dataset analyzer owns one section, typed by its own summary schema.
type DatasetShape = { [A in DatasetAnalyzers[number] as A['name']]: z.ZodOptional<A['summary']> };
const datasetShape = Object.fromEntries(datasetAnalyzers.map((a) => [a.name, a.summary.optional()])) as DatasetShape;

export const reportSchema = z.object({
  tool: z.object({ name: z.literal('tts-audit'), version: z.string() }),
  source: z.object({
    root: z.string(),
    format: z.string(),
    title: z.string(),
    nominalFormat: z.object({ sampleRate: z.number(), channels: z.number(), bitDepth: z.number() }).optional(),
  }),
  run: z.object({
    runId: z.string().optional().describe('the run in run.json beside the report (absent without an output folder)'),
    state: z
      .enum(['finished', 'interrupted'])
      .default('finished') // reports written before runs could be interrupted
      .describe('interrupted: stopped early (Ctrl-C); the figures cover the clips done, `--resume` continues'),
    jobs: z.number().int().optional().describe('clips analysed in parallel (worker threads)'),
    startedAt: z.string(),
    finishedAt: z.string(),
    wallSec: z.number(),
    cpuSec: z.number(),
    audioSec: z.number(),
    realtimeFactor: z.number().nullable().describe('audio seconds analysed per CPU second'),
  }),
  selection: z
    .object({
      limit: z.number().int().optional().describe('the first N clips in manifest order were audited'),
      sample: z.number().int().optional().describe('a seeded random sample of N clips was audited'),
      seed: z.number().int().optional(),
      shard: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
      population: z.number().int().optional().describe('clips the sample was drawn from'),
      note: z.string().describe('what the figures cover, in a sentence'),
      estimates: z
        .record(z.string(), z.object({ share: z.number(), low: z.number(), high: z.number() }))
        .optional()
        .describe('for a sample: 95 % intervals of the dropped share and of each finding’s share of clips'),
    })
    .optional()
    .describe('which clips the run audited: all, the first N, a sample, or one shard'),
  summary: z.object({
    listed: z.number().int().describe('utterances the manifests list (after skipping duplicate ids)'),
    analysed: z.number().int().describe('clips whose audio decoded and was analysed'),
    unreadable: z.number().int().describe('clips whose audio is missing, corrupt, empty or truncated'),
    kept: z.number().int().describe('clips in the curated manifest, trimmed ones included'),
    trimmed: z
      .number()
      .int()
      .describe(
        'kept clips with a suggested trim or filter (curated/trims.jsonl: cut leading/trailing silence, high-pass rumble, notch hum)',
      ),
    dropped: z.number().int().describe('clips with at least one finding of severity error'),
    hoursAnalysed: z.number(),
    hoursKept: z.number(),
    malformedLines: z.number().int(),
    unreadableFiles: z
      .number()
      .int()
      .default(0)
      .describe(
        'manifests, transcript files and parquet shards or row groups that could not be read at all: their clips are in no figure',
      ),
    findingsBySeverity: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  }),
  findings: z
    .record(
      z.string(),
      z.object({
        severity,
        description: z.string(),
        clips: z.number().int().describe('clips (or lines, for source findings) carrying this finding'),
        worst: z
          .array(worstClipSchema)
          .describe('the clips furthest past the threshold, worst first (in manifest order when unranked)'),
      }),
    )
    .describe('per finding code'),
  sourceFindings: z.array(findingSchema).describe('problems of the manifests themselves (first 500)'),
  dataset: z.object(datasetShape),
  config: configSchema,
});

export type AuditReport = z.output<typeof reportSchema>;
