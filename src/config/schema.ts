import { z } from 'zod';
import { clipAnalyzers, type ClipAnalyzers } from '../analyzers/clip/index.js';
import { datasetAnalyzers, type DatasetAnalyzers } from '../analyzers/dataset/index.js';
import type { FindingSpec } from '../analyzers/types.js';
import type { Severity } from '../types.js';
import { gateSchema } from './gate-schema.js';

/** Findings raised outside the analyzers: by loaders and the decoder. */
export const pipelineFindings: Record<string, FindingSpec> = {
  'source.malformed_line': { severity: 'error', description: 'a manifest line could not be parsed (file and line named); the run goes on' },
  'source.duplicate_id': { severity: 'error', description: 'a clip id repeats an earlier line; the repeat is skipped' },
  'source.path_escape': { severity: 'error', description: "a manifest's audio path leaves the dataset root (`../`, or absolute elsewhere); refused" },
  'source.no_transcript': { severity: 'warning', description: 'an audio file has no transcript (e.g. VCTK p315); it is not audited' },
  'source.missing_mic': { severity: 'warning', description: "one of an utterance's microphones has no recording (e.g. VCTK p280 mic2)" },
  'source.unknown_speaker': { severity: 'info', description: "a clip's speaker is not in the corpus' speaker table" },
  'source.listed_bad': { severity: 'warning', description: "the corpus' own list of failed restorations (LibriTTS-R `*_bad_sample_list.txt`) names this clip" },
  'audio.missing': { severity: 'error', description: 'the audio file does not exist' },
  'audio.empty': { severity: 'error', description: 'the audio file or its data chunk is empty' },
  'audio.corrupt': { severity: 'error', description: 'the audio file cannot be parsed' },
  'audio.unsupported': { severity: 'error', description: 'an audio format tts-audit cannot decode' },
  'audio.truncated': { severity: 'error', description: 'the file ends before the length its header declares' },
  'audio.offset_out_of_range': { severity: 'error', description: "a manifest's offset lies beyond the end of the audio" },
  'audio.segment_invalid': { severity: 'error', description: "a manifest's offset or duration is negative or not a number" },
  'audio.segment_past_end': { severity: 'warning', description: "a manifest's segment runs past the end of the audio; what exists is analysed" },
  'audio.length_unset': { severity: 'info', description: 'the WAV header leaves the data length unset (written to a pipe); decoded to the end of the file' },
  'analyzer.failed': { severity: 'error', description: 'an analyzer threw on this clip (a bug: please report it)' },
};

/** Every finding code with its default severity, analyzers' and the pipeline's alike. */
export const findingCatalog: Record<string, FindingSpec> = Object.assign(
  {},
  pipelineFindings,
  ...clipAnalyzers.map((a) => a.findings),
  ...datasetAnalyzers.map((a) => a.findings),
);

// `analyzers.<name>` is each analyzer's own config schema, typed from the registries.
type AnalyzerShape = { [A in ClipAnalyzers[number] | DatasetAnalyzers[number] as A['name']]: A['config'] };
const analyzerShape = Object.fromEntries([...clipAnalyzers, ...datasetAnalyzers].map((a) => [a.name, a.config])) as AnalyzerShape;

const severityOverride = z.enum(['error', 'warning', 'info', 'off']);

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    analyzers: z.object(analyzerShape).strict().prefault({}).describe('Thresholds per analyzer; every field has a documented default.'),
    severity: z
      .record(z.string(), severityOverride)
      .default({})
      .superRefine((map, ctx) => {
        for (const code of Object.keys(map)) {
          if (!(code in findingCatalog)) ctx.addIssue({ code: 'custom', message: `unknown finding code ${JSON.stringify(code)}`, path: [code] });
        }
      })
      .describe("Override a finding's severity: 'error' drops the clip from the curated manifest, 'off' silences the finding."),
    gate: gateSchema,
  })
  .strict();

export type AuditConfig = z.output<typeof configSchema>;
export type AuditConfigInput = z.input<typeof configSchema>;

export function resolveSeverity(config: AuditConfig, code: string): Severity | 'off' {
  return config.severity[code] ?? findingCatalog[code]?.severity ?? 'error';
}
