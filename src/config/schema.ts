import { z } from 'zod';
import { clipConfigs } from '../analyzers/clip/configs.js';
import { clipAnalyzers } from '../analyzers/clip/index.js';
import { datasetAnalyzers, type DatasetAnalyzers } from '../analyzers/dataset/index.js';
import { analyzerFindings } from '../analyzers/types.js';
import { codecs } from '../audio/codecs.js';
import { decodeFindings } from '../audio/errors.js';
import { limitFindings } from '../limits.js';
import { limitsSchema } from './limits-schema.js';
import { manifestFindings } from '../sources/findings.js';
import { sources } from '../sources/index.js';
import type { FindingSpec, Severity } from '../types.js';
import { gateSchema } from './gate-schema.js';
import { curatedSchema } from './curated-schema.js';

/** Every finding code with its default severity, analyzers' and the pipeline's alike. */
export const findingCatalog: Record<string, FindingSpec> = Object.assign(
  {},
  manifestFindings,
  ...sources.map((s) => s.findings ?? {}),
  decodeFindings,
  limitFindings,
  ...codecs.map((c) => c.findings ?? {}),
  analyzerFindings,
  ...clipAnalyzers.map((a) => a.findings),
  ...datasetAnalyzers.map((a) => a.findings),
);

// `analyzers.<name>` is each analyzer's own config schema, typed from the registries: the clip analyzers' first.
type AnalyzerShape = typeof clipConfigs & { [A in DatasetAnalyzers[number] as A['name']]: A['config'] };
export const analyzerShape = {
  ...clipConfigs,
  ...Object.fromEntries(datasetAnalyzers.map((a) => [a.name, a.config])),
} as AnalyzerShape;

const severityOverride = z.enum(['error', 'warning', 'info', 'off']);

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    analyzers: z
      .object(analyzerShape)
      .strict()
      .prefault({})
      .describe('Thresholds per analyzer; every field has a documented default.'),
    limits: limitsSchema.prefault({}),
    severity: z
      .record(z.string(), severityOverride)
      .default({})
      .superRefine((map, ctx) => {
        for (const code of Object.keys(map)) {
          if (!(code in findingCatalog))
            ctx.addIssue({ code: 'custom', message: `unknown finding code ${JSON.stringify(code)}`, path: [code] });
        }
      })
      .describe(
        "Override a finding's severity: 'error' drops the clip from the curated manifest, 'off' silences the finding.",
      ),
    gate: gateSchema,
    curated: curatedSchema,
  })
  .strict();

export type AuditConfig = z.output<typeof configSchema>;
export type AuditConfigInput = z.input<typeof configSchema>;

export function resolveSeverity(config: AuditConfig, code: string): Severity | 'off' {
  return config.severity[code] ?? findingCatalog[code]?.severity ?? 'error';
}
