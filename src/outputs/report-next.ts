import { counted } from '../util/plural.js';
import { ruleText } from './check.js';
import type { RuleResult } from './gate.js';
import type { AuditReport } from './report-schema.js';

// "What to do next" is written once, here, and rendered by report.md and report.html alike, so the two never give
// different advice for the same run. A step is words with typed pieces in it: a finding code, or something the
// reader types or opens (a path, a flag), which each report sets in its own way.

export type Part = string | { code: string } | { literal: string };
export type Step = Part[];

const hours = (h: number) => (h >= 10 ? h.toFixed(1) : h >= 0.1 ? h.toFixed(2) : h.toFixed(3));

/** The error codes that drop the most clips, most first, as `code (clips)`. */
function topErrors(r: AuditReport, n: number): Part[] {
  const top = Object.entries(r.findings)
    .filter(([, f]) => f.severity === 'error' && f.clips > 0)
    .sort((a, b) => b[1].clips - a[1].clips)
    .slice(0, n);
  if (top.length === 0) return ['none'];
  return top.flatMap(([code, f], i): Part[] => [
    ...(i > 0 ? [', '] : []),
    { code },
    ` (${f.clips.toLocaleString('en-US')})`,
  ]);
}

/** One step for a failed rule: what its figure means for training and where to act. */
function adviceFor(rule: RuleResult, r: AuditReport): Step {
  const s = r.summary;
  const name = rule.rule.replace(/\[.*$/, '');
  const one = (n: number, single: string, several: string) => (n === 1 ? single : several);
  switch (name) {
    case 'minClipsKept':
    case 'minHoursKept':
      return [
        `Too little audio survives curation (${counted(s.kept, 'clip')}, ${hours(s.hoursKept)} h). Listen to the worst clips of the findings that drop most (`,
        ...topErrors(r, 3),
        '): if they sound fine, loosen that threshold in the config; if not, the set needs more or better recordings.',
      ];
    case 'maxDroppedFraction':
      return [
        `${s.dropped.toLocaleString('en-US')} of ${counted(s.listed, 'clip')} are dropped, most for `,
        ...topErrors(r, 3),
        ': fix them at the source (re-export, re-record) or, if their worst clips sound fine, loosen the threshold. Every dropped clip and its reasons are in ',
        { literal: 'curated/dropped.jsonl' },
        '.',
      ];
    case 'maxUnreadableFraction':
      return [
        `${counted(s.unreadable, 'clip has', 'clips have')} missing, empty, corrupt or truncated audio (the `,
        { code: 'audio.*' },
        ' findings name each file): copy the dataset again or remove those rows.',
      ];
    case 'maxMalformedLines':
      return [
        `${counted(s.malformedLines, 'manifest line')} could not be read (see Manifest problems): fix ${one(s.malformedLines, 'it, or its clip is', 'them, or their clips are')} silently missing from training.`,
      ];
    case 'maxUnreadableFiles': {
      const n = s.unreadableFiles;
      return [
        `${counted(n, 'manifest, transcript file or shard', 'manifests, transcript files or shards')} could not be read at all (see Manifest problems): every clip ${one(n, 'it holds', 'they hold')} is missing from the figures. Download or copy ${one(n, 'it', 'them')} again.`,
      ];
    }
    case 'minSpeakers':
    case 'minSpeakerBalance':
      return [
        'Speaker coverage is short of the gate (see Coverage): add recordings of the speakers with the fewest hours, or cap the largest so one voice does not dominate.',
      ];
    case 'minMedianSnrDb':
      return [
        `The set as a whole is noisy (median SNR under ${rule.limit} dB): denoise it or record again; dropping clips does not fix a noisy room.`,
      ];
    case 'maxFindingFraction':
      return [
        'Too many clips carry ',
        { code: rule.rule.slice(name.length + 1, -1) },
        ': a finding that common is usually a fault of the recording or export chain, not of single clips; look at its worst clips.',
      ];
    default:
      return [ruleText(rule)];
  }
}

/** The numbered steps under "What to do next", most urgent first. */
export function nextSteps(r: AuditReport, failed: RuleResult[]): Step[] {
  const s = r.summary;
  const steps: Step[] = [];
  if (r.run.state === 'interrupted')
    steps.push([
      'This run was interrupted: the figures cover only the clips done. Run it again with ',
      { literal: '--resume' },
      '.',
    ]);
  steps.push(...failed.map((rule) => adviceFor(rule, r)));
  const kept = `${counted(s.kept, 'clip')} (${hours(s.hoursKept)} h)`;
  steps.push(
    failed.length === 0
      ? [
          'Train on ',
          { literal: 'curated/' },
          `: ${kept} in the dataset's own layout; `,
          { literal: 'datacard.md' },
          ' beside this report describes it.',
        ]
      : [
          'Until then, ',
          { literal: 'curated/' },
          ` holds the ${kept} worth keeping, in the dataset's own layout, and `,
          { literal: 'curated/dropped.jsonl' },
          ' every dropped clip with its reasons.',
        ],
  );
  if (s.trimmed > 0)
    steps.push([
      `${counted(s.trimmed, 'kept clip needs', 'kept clips need')} a cut (leading or trailing silence) or a filter (rumble, hum): `,
      { literal: 'curated/trims.jsonl' },
      ' gives the start and end, high-pass and notch of each; ',
      { literal: '--apply-trims' },
      ' writes cut copies.',
    ]);
  const warnings = Object.values(r.findings).filter((f) => f.severity === 'warning' && f.clips > 0).length;
  if (warnings > 0)
    steps.push([
      `Review the ${counted(warnings, 'warning code')} under Findings: they drop no clip, but a model learns from them.`,
    ]);
  steps.push([
    'Make the gate a step before training: ',
    { literal: 'npx tts-audit check' },
    ' on this folder exits 0 on a pass, 1 on a failed rule, 2 on bad input.',
  ]);
  return steps;
}
