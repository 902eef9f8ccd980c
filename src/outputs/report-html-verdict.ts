import { evaluateGate, type RuleResult } from './gate.js';
import { markup, type Html } from './report-html-escape.js';
import type { AuditReport } from './report-schema.js';

// The top of report.html answers the two questions a reader opens it with: can I train on this set, and if not,
// what do I do about it. The verdict is the gate that `tts-audit check` applies, rule by rule.

const hours = (h: number) => (h >= 10 ? h.toFixed(1) : h >= 0.1 ? h.toFixed(2) : h.toFixed(3));

/** The error codes that drop the most clips, most first. */
function topErrors(r: AuditReport, n: number): [string, number][] {
  return Object.entries(r.findings)
    .filter(([, f]) => f.severity === 'error' && f.clips > 0)
    .sort((a, b) => b[1].clips - a[1].clips)
    .slice(0, n)
    .map(([code, f]) => [code, f.clips]);
}

const listOf = (items: [string, number][]) =>
  items.map(([code, n], i) => markup`${i > 0 ? ', ' : ''}<code>${code}</code> (${n})`);

/** One step for a failed rule: what the figure means for training and where to act. */
function adviceFor(rule: RuleResult, r: AuditReport): Html {
  const s = r.summary;
  const top = topErrors(r, 3);
  const name = rule.rule.replace(/\[.*$/, '');
  switch (name) {
    case 'minClipsKept':
    case 'minHoursKept':
      return markup`Too little audio survives curation (${s.kept} clips, ${hours(s.hoursKept)} h). Listen to the
worst clips of the findings that drop most (${listOf(top)}): if they sound fine, loosen that analyzer's threshold in
the config; if not, the set needs more or better recordings.`;
    case 'maxDroppedFraction':
      return markup`${s.dropped} of ${s.listed} clips are dropped, most for ${listOf(top)}: fix them at the source
(re-export, re-record) or, if their worst clips below sound fine, loosen the threshold. Every dropped clip and its
reasons are in <code>curated/dropped.jsonl</code>.`;
    case 'maxUnreadableFraction':
      return markup`${s.unreadable} clips have missing, empty, corrupt or truncated audio (the <code>audio.*</code>
findings below name each file): copy the dataset again or remove those rows from the manifest.`;
    case 'maxMalformedLines':
      return markup`${s.malformedLines} manifest lines could not be read (see Manifest problems): fix them, or their
clips are silently missing from training.`;
    case 'maxUnreadableFiles':
      return markup`${s.unreadableFiles} manifests, transcript files or parquet shards could not be read at all (see
Manifest problems): every clip they hold is missing from the figures. Download or copy them again.`;
    case 'minSpeakers':
    case 'minSpeakerBalance':
      return markup`Speaker coverage is short of the gate (see Coverage): add recordings of the speakers with the
fewest hours, or cap the largest so one voice does not dominate.`;
    case 'minMedianSnrDb':
      return markup`The set as a whole is noisy (median SNR under ${rule.limit} dB): denoise it or record again;
dropping clips does not fix a noisy room.`;
    case 'maxFindingFraction': {
      const code = rule.rule.slice(name.length + 1, -1);
      return markup`Too many clips carry <code>${code}</code>: look at its worst clips below; a finding that common
is usually a fault of the recording or export chain, not of single clips.`;
    }
    default:
      return markup`${rule.message}`;
  }
}

/** The verdict: each gate rule with its figure, then what to do next. */
export function verdictSection(r: AuditReport): Html {
  const rules = evaluateGate(r, r.config.gate);
  const failed = rules.filter((x) => !x.holds);
  const s = r.summary;
  const steps: Html[] = failed.map((rule) => adviceFor(rule, r));
  if (r.run.state === 'interrupted')
    steps.unshift(markup`This run was interrupted: the figures cover only the clips done. Run it again with
<code>--resume</code>.`);
  if (failed.length === 0)
    steps.push(markup`Train on <code>curated/</code>: ${s.kept} clips, ${hours(s.hoursKept)} h, in the dataset's
own layout.`);
  if (s.trimmed > 0)
    steps.push(markup`${s.trimmed} kept ${s.trimmed === 1 ? 'clip needs' : 'clips need'} a cut (leading or trailing silence) or a
filter (rumble, hum): apply <code>curated/trims.jsonl</code> (start and end, high-pass and notch per clip) before
training, or pass <code>--apply-trims</code> for cut copies.`);
  const warnings = Object.values(r.findings).filter((f) => f.severity === 'warning' && f.clips > 0);
  if (warnings.length > 0)
    steps.push(markup`Review the warnings (${warnings.length} codes) in the table of flagged clips: they drop no
clip, but a model learns from them.`);
  const verdict =
    failed.length === 0
      ? markup`<p class="verdict pass">Passes the gate: all ${rules.length} rules hold.</p>`
      : markup`<p class="verdict fail">Fails the gate: ${failed.length} of ${rules.length} rules fail.</p>`;
  const ruleItem = (x: RuleResult) =>
    markup`<li class="${x.holds ? 'ok' : 'failed'}"><span class="mark">${x.holds ? '✓' : '✗'}</span> <code>${x.rule}</code>: ${x.message.replace(/^(ok {2}|FAIL) [^:]+: /, '')}</li>\n`;
  return markup`<section id="verdict">
<h2>Verdict</h2>
${verdict}
<ul class="rules">
${rules.map(ruleItem)}</ul>
<h3>What to do next</h3>
<ol class="next">
${steps.map((step) => markup`<li>${step}</li>\n`)}</ol>
</section>`;
}
