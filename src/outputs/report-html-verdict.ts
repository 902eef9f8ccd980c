import { counted } from '../util/plural.js';
import { evaluateGate, type RuleResult } from './gate.js';
import { markup, type Html } from './report-html-escape.js';
import { nextSteps, type Step } from './report-next.js';
import type { AuditReport } from './report-schema.js';

// The top of report.html answers the two questions a reader opens it with: can I train on this set, and if not,
// what do I do about it. The verdict is the gate that `tts-audit check` applies, rule by rule.

/** A step of the shared advice as HTML: finding codes, paths and flags set as code. */
const stepHtml = (step: Step): Html[] =>
  step.map((p) => (typeof p === 'string' ? markup`${p}` : markup`<code>${'code' in p ? p.code : p.literal}</code>`));

/** The verdict: each gate rule with its figure, then what to do next. */
export function verdictSection(r: AuditReport): Html {
  const rules = evaluateGate(r, r.config.gate);
  const failed = rules.filter((x) => !x.holds);
  const steps = nextSteps(r, failed).map(stepHtml);
  const verdict =
    failed.length === 0
      ? markup`<p class="verdict pass">Passes the gate: all ${counted(rules.length, 'rule')} hold.</p>`
      : markup`<p class="verdict fail">Fails the gate: ${failed.length} of ${counted(rules.length, 'rule')} ${failed.length === 1 ? 'fails' : 'fail'}.</p>`;
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
