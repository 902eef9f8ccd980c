import { ruleText } from './check.js';
import { evaluateGate, type RuleResult } from './gate.js';
import { code, count, counted, hours, table } from './report-md-util.js';
import { nextSteps } from './report-next.js';
import type { AuditReport } from './report-schema.js';

// A reviewer opens report.md to learn whether the set can be trained on and what to do if not, so the verdict
// comes first: the same gate evaluation `tts-audit check` makes with the rules stored in the report.
// Paths and commands stay plain text: a code span in report.md only ever holds a finding code or metric name.

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** A rule's figure and limit as a reader takes them in, counted nouns in the singular where one is meant. */
function figures(rule: RuleResult, r: AuditReport): [string, string] {
  const s = r.summary;
  const { actual: a, limit } = rule;
  const name = rule.rule.replace(/\[.*$/, '');
  switch (name) {
    case 'minClipsKept':
      return [`${counted(a, 'clip')} kept`, `≥ ${count(limit)}`];
    case 'minHoursKept':
      return [`${hours(a)} h kept`, `≥ ${limit} h`];
    case 'maxDroppedFraction':
      return [`${pct(a)} dropped (${count(s.dropped)} of ${count(s.listed)})`, `≤ ${pct(limit)}`];
    case 'maxUnreadableFraction':
      return [`${pct(a)} unreadable (${count(s.unreadable)} of ${count(s.listed)})`, `≤ ${pct(limit)}`];
    case 'maxMalformedLines':
      return [counted(a, 'malformed manifest line'), `≤ ${count(limit)}`];
    case 'maxUnreadableFiles':
      return [`${counted(a, 'manifest, transcript or shard file')} unreadable`, `≤ ${count(limit)}`];
    case 'minSpeakers':
      return [`${counted(a, 'speaker')} with analysed audio`, `≥ ${count(limit)}`];
    case 'minSpeakerBalance':
      return [`speaker hours balance ${a.toFixed(2)} (normalized entropy)`, `≥ ${limit}`];
    case 'minMedianSnrDb':
      return [
        Number.isFinite(a) ? `median SNR ${a.toFixed(1)} dB` : 'no SNR figures (no clip analysed)',
        `≥ ${limit} dB`,
      ];
    case 'maxFindingFraction': {
      const clips = r.findings[rule.rule.slice(name.length + 1, -1)]?.clips ?? 0;
      return [`${pct(a)} of analysed clips (${count(clips)})`, `≤ ${pct(limit)}`];
    }
    default:
      return [ruleText(rule).replace(`${rule.rule}: `, ''), String(limit)];
  }
}

/** `## Verdict` and `## What to do next`. */
export function verdictSection(r: AuditReport): string[] {
  const rules = evaluateGate(r, r.config.gate);
  const failed = rules.filter((x) => !x.holds);
  const lines = ['## Verdict', ''];
  lines.push(
    failed.length === 0
      ? `Passes the gate: all ${counted(rules.length, 'rule')} hold.`
      : `Fails the gate: ${count(failed.length)} of ${counted(rules.length, 'rule')} ${failed.length === 1 ? 'fails' : 'fail'}.`,
    '',
  );
  lines.push(
    ...table(
      ['', 'rule', 'figure', 'limit'],
      'llrr',
      rules.map((x) => [x.holds ? '✓ pass' : '✗ FAIL', code(x.rule), ...figures(x, r)]),
    ),
  );
  lines.push('These are the rules stored with the report (its config); tts-audit check --config judges by others.', '');

  const steps = nextSteps(r, failed).map((step) =>
    step.map((p) => (typeof p === 'string' ? p : 'code' in p ? code(p.code) : p.literal)).join(''),
  );
  lines.push('## What to do next', '', ...steps.map((step, i) => `${i + 1}. ${step}`), '');
  return lines;
}
