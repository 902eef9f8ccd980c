import type { DatasetAnalyzer } from '../types.js';
import { coverage } from './coverage.js';
import { distributions } from './distributions.js';
import { format } from './format.js';
import { phonemeCoverage } from './phoneme-coverage.js';
import { phonemeRateOutliers } from './phoneme-rate-outliers.js';
import { prosodyCoverage } from './prosody-coverage.js';
import { rateOutliers } from './rate-outliers.js';
import { textDiversity } from './text-diversity.js';
import { totals } from './totals.js';
import { transcriptChecks } from './transcript-checks.js';
import { voices } from './voices.js';

/** Every dataset analyzer; each owns the `dataset.<name>` section of report.json. */
export const datasetAnalyzers = [
  totals,
  coverage,
  distributions,
  format,
  rateOutliers,
  phonemeRateOutliers,
  textDiversity,
  phonemeCoverage,
  voices,
  transcriptChecks,
  prosodyCoverage,
] as const satisfies readonly DatasetAnalyzer[];

export type DatasetAnalyzers = typeof datasetAnalyzers;
