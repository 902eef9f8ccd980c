import { markup, type Html } from './report-html-escape.js';
import { checksPhrase, ratePhrase } from './report-md-transcripts.js';
import type { AuditReport } from './report-schema.js';

// The transcript checks in report.html: which check the clips got, the transcript-error rate on the recognizer's
// decoded sample with its interval, and the decoded clips that fit worst.

export function transcriptsSection(r: AuditReport): Html {
  const c = r.dataset.transcriptChecks;
  if (!c || c.clips.recognizerAndDtw + c.clips.dtwOnly + c.clips.recognizerOnly === 0) return markup``;
  const s = c.decodedSample;
  return markup`<section id="transcripts">
<h2>Transcript checks</h2>
<dl class="figures">
<dt>pocketsphinx and the espeak-ng DTW</dt><dd>${c.clips.recognizerAndDtw}</dd>
<dt>espeak-ng DTW alone</dt><dd>${c.clips.dtwOnly}</dd>
<dt>pocketsphinx alone</dt><dd>${c.clips.recognizerOnly}</dd>
<dt>neither</dt><dd>${c.clips.none}</dd>
</dl>
<p>Clips checked ${checksPhrase(c)}.${c.note ? markup` ${c.note}` : ''}</p>
${
  s
    ? markup`<p>Transcript-error rate on the clips pocketsphinx also decoded freely (a seeded sample, <code>--asr-sample</code>): ${ratePhrase(s)}.</p>
${
  s.worst.length > 0
    ? markup`<table><thead><tr><th>decoded clip</th><th>WER</th><th>P(mismatch)</th><th>verdict</th></tr></thead><tbody>
${s.worst.map((w) => markup`<tr><td class="data">${w.id}</td><td>${w.wer.toFixed(2)}</td><td>${w.probability === undefined ? '–' : w.probability.toFixed(2)}</td><td>${w.mismatch ? 'mismatch' : 'fits'}</td></tr>\n`)}</tbody></table>`
    : ''
}`
    : ''
}
</section>`;
}
