import type { GateConfig } from '../config/gate-schema.js';
import type { AuditReport } from './report-schema.js';
import { counted } from '../util/plural.js';

export interface RuleResult {
  rule: string;
  holds: boolean;
  actual: number;
  limit: number;
  /** One line a person reads in a CI log. */
  message: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Evaluates the dataset-level rules of a gate config against a finished report. */
export function evaluateGate(report: AuditReport, gate: GateConfig): RuleResult[] {
  const s = report.summary;
  const results: RuleResult[] = [];
  const rule = (name: string, actual: number, limit: number, holds: boolean, describe: string) =>
    results.push({ rule: name, holds, actual, limit, message: `${holds ? 'ok  ' : 'FAIL'} ${name}: ${describe}` });

  rule(
    'minClipsKept',
    s.kept,
    gate.minClipsKept,
    s.kept >= gate.minClipsKept,
    `${s.kept} clips kept, need at least ${gate.minClipsKept}`,
  );
  rule(
    'minHoursKept',
    s.hoursKept,
    gate.minHoursKept,
    s.hoursKept >= gate.minHoursKept,
    `${s.hoursKept.toFixed(3)} h kept, need at least ${gate.minHoursKept} h`,
  );
  const droppedFraction = s.listed > 0 ? s.dropped / s.listed : 0;
  rule(
    'maxDroppedFraction',
    droppedFraction,
    gate.maxDroppedFraction,
    droppedFraction <= gate.maxDroppedFraction,
    `${pct(droppedFraction)} of ${s.listed} clips dropped, limit ${pct(gate.maxDroppedFraction)}`,
  );
  const unreadable = s.listed > 0 ? s.unreadable / s.listed : 0;
  rule(
    'maxUnreadableFraction',
    unreadable,
    gate.maxUnreadableFraction,
    unreadable <= gate.maxUnreadableFraction,
    `${pct(unreadable)} of clips unreadable (${s.unreadable}), limit ${pct(gate.maxUnreadableFraction)}`,
  );
  rule(
    'maxMalformedLines',
    s.malformedLines,
    gate.maxMalformedLines,
    s.malformedLines <= gate.maxMalformedLines,
    `${counted(s.malformedLines, 'malformed manifest line')}, limit ${gate.maxMalformedLines}`,
  );
  rule(
    'maxUnreadableFiles',
    s.unreadableFiles,
    gate.maxUnreadableFiles,
    s.unreadableFiles <= gate.maxUnreadableFiles,
    `${counted(s.unreadableFiles, 'manifest, transcript or shard file')} unreadable, limit ${gate.maxUnreadableFiles}`,
  );
  const speakers = report.dataset.totals?.speakers ?? 0;
  rule(
    'minSpeakers',
    speakers,
    gate.minSpeakers,
    speakers >= gate.minSpeakers,
    `${counted(speakers, 'speaker')} with analysed audio, need at least ${gate.minSpeakers}`,
  );
  if (gate.minSpeakerBalance > 0) {
    const balance = report.dataset.coverage?.speaker.balance.normalizedEntropy ?? 0;
    rule(
      'minSpeakerBalance',
      balance,
      gate.minSpeakerBalance,
      balance >= gate.minSpeakerBalance,
      `speaker hours balance (normalized entropy) ${balance.toFixed(2)}, need at least ${gate.minSpeakerBalance}`,
    );
  }
  const snr = report.dataset.distributions?.['noise.snr_db']?.percentiles.p50;
  if (snr === undefined || snr === null) {
    rule(
      'minMedianSnrDb',
      NaN,
      gate.minMedianSnrDb,
      false,
      `no SNR figures in the report (no clip analysed), need a median of ${gate.minMedianSnrDb} dB`,
    );
  } else {
    rule(
      'minMedianSnrDb',
      snr,
      gate.minMedianSnrDb,
      snr >= gate.minMedianSnrDb,
      `median SNR ${snr.toFixed(1)} dB, need at least ${gate.minMedianSnrDb} dB`,
    );
  }
  for (const [code, limit] of Object.entries(gate.maxFindingFraction)) {
    const clips = report.findings[code]?.clips ?? 0;
    const share = s.analysed > 0 ? clips / s.analysed : 0;
    rule(
      `maxFindingFraction[${code}]`,
      share,
      limit,
      share <= limit,
      `${pct(share)} of analysed clips have ${code} (${clips}), limit ${pct(limit)}`,
    );
  }
  return results;
}
