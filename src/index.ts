// The library API: everything the CLI does, a script can do by import.
import type { renderHtml as RenderHtml } from './outputs/report-html.js';
export { audit, AuditInputError, type AuditOptions, type AuditProgress, type AuditResult } from './pipeline/audit.js';
export type { Selection } from './pipeline/select.js';
export { merge, MergeError, type MergeOptions } from './pipeline/merge.js';
export { runRecordSchema, type RunRecord } from './outputs/run-record.js';
export { clipLineSchema } from './outputs/clips-log.js';
export {
  check,
  checkJson,
  checkOutputSchema,
  checkSummaryMarkdown,
  githubCommands,
  workflowCommand,
  type CheckOutput,
  type CheckResult,
} from './outputs/check.js';
export {
  diffAudits,
  diffFails,
  auditDiffSchema,
  DEFAULT_DIFF_TOLERANCE,
  type AuditDiff,
  type DiffKind,
  type DiffOptions,
} from './outputs/diff.js';
export { renderDiffText } from './outputs/diff-text.js';
export { InputFileError } from './config/load.js';
export { InputError } from './errors.js';
export { evaluateGate, type RuleResult } from './outputs/gate.js';
export { configSchema, findingCatalog, type AuditConfig, type AuditConfigInput } from './config/schema.js';
export { reportSchema, type AuditReport } from './outputs/report-schema.js';
export { renderMarkdown } from './outputs/report-md.js';
export type { ClipDetails } from './outputs/report-html-clips.js';
/**
 * report.html of a report, as one string (`details`: transcripts and players of the clips it names). Async: the
 * charting library it draws with loads on the first call, not with every `import 'tts-audit'` (about 2 s and
 * 20 MB more, which a `check` in CI would pay for nothing).
 */
export const renderHtml = async (...args: Parameters<typeof RenderHtml>): Promise<string> =>
  (await import('./outputs/report-html.js')).renderHtml(...args);
export { renderDatacard } from './outputs/datacard.js';
export { curatedSchema, type CuratedConfig, type EmitFormat } from './config/curated-schema.js';
export { sources, selectSource } from './sources/index.js';
export type { Source, SourceItem, NominalFormat } from './sources/types.js';
export { clipAnalyzers } from './analyzers/clip/index.js';
/** Each clip analyzer's config schema by name (`analyzers.<name>`), apart from its code. */
export { clipConfigs } from './analyzers/clip/configs.js';
export { datasetAnalyzers } from './analyzers/dataset/index.js';
export type { ClipAnalyzer, DatasetAnalyzer } from './analyzers/types.js';
export { decodeFile, decodeBytes, decodeAudioRef } from './audio/decode.js';
export { computeFeatures, type FrameFeatures } from './features/frames.js';
export type * from './types.js';
