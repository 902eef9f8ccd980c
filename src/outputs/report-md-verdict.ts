import { ruleText } from './check.js';
import { evaluateGate, type RuleResult } from './gate.js';
import { code, count, counted, hours, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';

// A reviewer opens report.md to learn whether the set can be trained on and what to do if not, so the verdict
// comes first: the same gate evaluation `tts-audit check` makes with the rules stored in the report.
// Paths and commands stay plain text: a code span in report.md only ever holds a finding code or metric name.

/** The error codes that drop the most clips, most first, as `code` (clips). */
function topErrors(r: AuditReport, n: number): string {
  return Object.entries(r.findings)
    .filter(([, f]) => f.severity === 'error' && f.clips > 0)
    .sort((a, b) => b[1].clips - a[1].clips)
    .slice(0, n)
    .map(([c, f]) => `${code(c)} (${count(f.clips)})`)
    .join(', ');
}

/** One step for a failed rule: what its figure means for training and where to act. */
function adviceFor(rule: RuleResult, r: AuditReport): string {
  const s = r.summary;
  const name = rule.rule.replace(/\[.*$/, '');
  switch (name) {
    case 'minClipsKept':
    case 'minHoursKept':
      return `Too little audio survives curation (${counted(s.kept, 'clip')}, ${hours(s.hoursKept)} h). Listen to the worst clips of the findings that drop most (${topErrors(r, 3) || 'none'}): if they sound fine, loosen that threshold in the config; if not, the set needs more or better recordings.`;
    case 'maxDroppedFraction':
      return `${count(s.dropped)} of ${counted(s.listed, 'clip')} are dropped, most for ${topErrors(r, 3)}: fix them at the source (re-export, re-record) or, if their worst clips sound fine, loosen the threshold. Every dropped clip and its reasons are in curated/dropped.jsonl.`;
    case 'maxUnreadableFraction':
      return `${counted(s.unreadable, 'clip has', 'clips have')} missing, empty, corrupt or truncated audio (the audio.* findings name each file): copy the dataset again or remove those rows.`;
    case 'maxMalformedLines':
      return `${counted(s.malformedLines, 'manifest line', 'manifest lines')} could not be read (see Manifest problems): fix ${s.malformedLines === 1 ? 'it, or its clip is' : 'them, or their clips are'} silently missing from training.`;
    case 'maxUnreadableFiles':
      return `${counted(s.unreadableFiles, 'manifest, transcript file or shard', 'manifests, transcript files or shards')} could not be read at all (see Manifest problems): every clip ${s.unreadableFiles === 1 ? 'it holds' : 'they hold'} is missing from the figures. Download or copy ${s.unreadableFiles === 1 ? 'it' : 'them'} again.`;
    case 'minSpeakers':
    case 'minSpeakerBalance':
      return 'Speaker coverage is short of the gate (see Coverage): add recordings of the speakers with the fewest hours, or cap the largest so one voice does not dominate.';
    case 'minMedianSnrDb':
      return `The set as a whole is noisy (median SNR under ${rule.limit} dB): denoise it or record again; dropping clips does not fix a noisy room.`;
    case 'maxFindingFraction':
      return `Too many clips carry ${code(rule.rule.slice(name.length + 1, -1))}: a finding that common is usually a fault of the recording or export chain, not of single clips; look at its worst clips below.`;
    default:
      return ruleText(rule);
  }
}

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
  const s = r.summary;
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

  const steps: string[] = [];
  if (r.run.state === 'interrupted')
    steps.push('This run was interrupted: the figures cover only the clips done. Run it again with --resume.');
  steps.push(...failed.map((rule) => adviceFor(rule, r)));
  steps.push(
    failed.length === 0
      ? `Train on curated/: ${counted(s.kept, 'clip')}, ${hours(s.hoursKept)} h, in the dataset's own layout; datacard.md beside this report describes it.`
      : `Until then, curated/ holds the ${counted(s.kept, 'clip')} (${hours(s.hoursKept)} h) worth keeping, in the dataset's own layout, and curated/dropped.jsonl every dropped clip with its reasons.`,
  );
  if (s.trimmed > 0)
    steps.push(
      `${counted(s.trimmed, 'kept clip needs', 'kept clips need')} a cut (leading or trailing silence) or a filter (rumble, hum): curated/trims.jsonl gives the start and end, high-pass and notch of each; --apply-trims writes cut copies.`,
    );
  const warnings = Object.values(r.findings).filter((f) => f.severity === 'warning' && f.clips > 0).length;
  if (warnings > 0)
    steps.push(
      `Review the ${counted(warnings, 'warning code')} under Findings: they drop no clip, but a model learns from them.`,
    );
  steps.push(
    'Make the gate a step before training: npx tts-audit check on this folder exits 0 on a pass, 1 on a failed rule, 2 on bad input.',
  );
  lines.push('## What to do next', '', ...steps.map((step, i) => `${i + 1}. ${step}`), '');
  return lines;
}
