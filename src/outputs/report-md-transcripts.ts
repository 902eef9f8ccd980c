import { cell, count, counted, num, share, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';

// The transcript checks in report.md and the CLI: which check each clip got (pocketsphinx with the espeak-ng
// DTW, the DTW alone), and the transcript-error rate on the recognizer's decoded sample with its interval.

/** Decoded clips listed in report.md; report.html and report.json list the summary's `listed`. */
const MAX_ROWS = 8;

type Checks = NonNullable<AuditReport['dataset']['transcriptChecks']>;

const level = (z: number) => (Math.abs(z - 1.96) < 0.005 ? '95 %' : `z = ${z}`);

/** `12 by pocketsphinx and the espeak-ng DTW, 3 by the DTW alone`: the checks that ran, none when none did. */
export function checksPhrase(c: Checks): string {
  const parts = [
    [c.clips.recognizerAndDtw, 'by pocketsphinx and the espeak-ng DTW'],
    [c.clips.dtwOnly, 'by the espeak-ng DTW alone'],
    [c.clips.recognizerOnly, 'by pocketsphinx alone'],
    [c.clips.none, 'by neither (no transcript, no speech, or too long)'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${count(n)} ${what}`)
    .join(', ');
}

/** The decoded sample's error rate: `2 of 30 decoded clips mismatched: 6.7 % (95 % interval 1.8–21 %)`. */
export function ratePhrase(s: NonNullable<Checks['decodedSample']>): string {
  return `${count(s.mismatched)} of ${counted(s.clips, 'decoded clip')} mismatched: ${share(s.rate)} (${level(s.z)} interval ${share(s.low)}–${share(s.high)}), median WER ${num(s.medianWer)}`;
}

const ran = (c: Checks) => c.clips.recognizerAndDtw + c.clips.dtwOnly + c.clips.recognizerOnly > 0;

/** One line for the CLI's closing summary, or undefined when no transcript check ran. */
export function transcriptSummaryLine(r: AuditReport): string | undefined {
  const c = r.dataset.transcriptChecks;
  if (!c || !ran(c)) return undefined;
  const rate = c.decodedSample ? `; transcript errors: ${ratePhrase(c.decodedSample)}` : '';
  return `transcripts checked: ${checksPhrase(c)}${rate}`;
}

export function transcriptsMarkdown(r: AuditReport): string[] {
  const c = r.dataset.transcriptChecks;
  if (!c || !ran(c)) return [];
  const out = [
    '## Transcript checks',
    '',
    `Clips checked ${checksPhrase(c)}.${c.note ? ` ${cell(c.note, 500)}` : ''}`,
    '',
  ];
  const s = c.decodedSample;
  if (!s) return out;
  out.push(
    `Transcript-error rate on the clips pocketsphinx also decoded freely (a seeded sample, \`--asr-sample\`): ${ratePhrase(s)}.`,
    '',
  );
  const rows = s.worst
    .slice(0, MAX_ROWS)
    .map((w) => [cell(w.id), num(w.wer), num(w.probability), w.mismatch ? '**mismatch**' : 'fits']);
  if (rows.length === 0) return out;
  const more = s.clips - rows.length;
  return [
    ...out,
    ...table(['decoded clip', 'WER', 'P(mismatch)', 'verdict'], 'lrrl', rows),
    ...(more > 0
      ? [
          `… and ${counted(more, 'more decoded clip')} (lower WER); clips.jsonl holds each one's \`alignment.asr_wer\`.`,
          '',
        ]
      : []),
  ];
}
