import { beforeAll, describe, expect, it } from 'vitest';
import { audit, renderHtml, renderMarkdown, type AuditReport } from '../src/index.js';
import { MAX_MARKDOWN_LINES } from '../src/outputs/report-md.js';
import { transcriptSummaryLine } from '../src/outputs/report-md-transcripts.js';
import { SAMPLES } from './helpers/run.js';

// The transcript checks as report.md, report.html and the CLI show them, on a real audit of the demo set with the
// summary of a larger decoded sample put in (a deep run with free decoding takes about real time per clip; the
// pocketsphinx tests run one end to end).

let plain: AuditReport;

beforeAll(async () => {
  plain = (await audit({ source: SAMPLES })).report;
});

/** The demo report as if 40 English clips had been checked and 25 of them decoded freely. */
function withChecks(decoded = 25, mismatched = 3): AuditReport {
  const r = structuredClone(plain);
  const worst = Array.from({ length: Math.min(decoded, 20) }, (_, i) => ({
    id: i === 0 ? 'clip|<b>0</b>' : `clip-${i}`,
    wer: 1.4 - i * 0.05,
    probability: i < mismatched ? 0.95 : 0.1,
    mismatch: i < mismatched,
  }));
  r.dataset.transcriptChecks = {
    clips: { recognizerAndDtw: 40, dtwOnly: 2, recognizerOnly: 0, none: 1 },
    decodedSample: {
      clips: decoded,
      mismatched,
      rate: mismatched / decoded,
      low: 0.04,
      high: 0.3,
      z: 1.96,
      medianWer: 0.48,
      worst,
    },
  };
  return r;
}

describe('transcript checks in the reports', () => {
  it('say nothing when no transcript check ran (the default profile)', async () => {
    expect(plain.dataset.transcriptChecks?.clips.recognizerAndDtw ?? 0).toBe(0);
    expect(renderMarkdown(plain)).not.toContain('## Transcript checks');
    expect(await renderHtml(plain)).not.toContain('id="transcripts"');
    expect(transcriptSummaryLine(plain)).toBeUndefined();
  });

  it('report.md: which check the clips got, the error rate with its interval, and a capped table', () => {
    const md = renderMarkdown(withChecks());
    const at = md.indexOf('## Transcript checks');
    expect(at).toBeGreaterThan(0);
    const section = md.slice(at, md.indexOf('\n## ', at + 1));
    expect(section).toContain(
      'Clips checked 40 by pocketsphinx and the espeak-ng DTW, 2 by the espeak-ng DTW alone, 1 by neither',
    );
    expect(section).toContain('3 of 25 decoded clips mismatched: 12 % (95 % interval 4 %–30 %), median WER 0.48');
    const rows = section.split('\n').filter((l) => /^\| clip/.test(l));
    expect(rows).toHaveLength(8);
    // Mismatched first; an id is text, never markup or a column break.
    expect(rows[0]).toMatch(/^\| clip\\\|\\<b\\>0\\<\/b\\> \| 1\.40 \| 0\.95 \| \*\*mismatch\*\* \|$/);
    expect(rows[3]).toMatch(/\| fits \|$/);
    expect(section).toContain('… and 17 more decoded clips (lower WER)');
    expect(md.split('\n').length).toBeLessThanOrEqual(MAX_MARKDOWN_LINES);
  });

  it('report.html: a section with the figures and every listed clip, escaped', async () => {
    const html = await renderHtml(withChecks());
    const section = html.slice(
      html.indexOf('<section id="transcripts">'),
      html.indexOf('</section>', html.indexOf('<section id="transcripts">')),
    );
    expect(section).toContain('<dt>pocketsphinx and the espeak-ng DTW</dt><dd>40</dd>');
    expect(section).toContain('3 of 25 decoded clips mismatched: 12 % (95 % interval 4 %–30 %)');
    expect(section.match(/<tr><td class="data">/g)).toHaveLength(20);
    expect(section).toContain('clip|&lt;b&gt;0&lt;/b&gt;');
    expect(html).toContain('<a href="#transcripts">');
  });

  it('the CLI line', () => {
    expect(transcriptSummaryLine(withChecks(1, 0))).toBe(
      'transcripts checked: 40 by pocketsphinx and the espeak-ng DTW, 2 by the espeak-ng DTW alone, 1 by neither (no transcript, no speech, or too long); transcript errors: 0 of 1 decoded clip mismatched: 0 % (95 % interval 4 %–30 %), median WER 0.48',
    );
  });
});
