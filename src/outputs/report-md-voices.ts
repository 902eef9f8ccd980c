import { cell, count, counted, hours, share, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';

/** Speakers listed in report.md; report.json and report.html hold every one. */
const MAX_SPEAKER_ROWS = 20;

const hz = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

/** The voices section of report.md: F0 range per speaker, suspicious speakers first, and the hours affected. */
export function voicesMarkdown(r: AuditReport): string[] {
  const v = r.dataset.voices;
  if (!v || v.clipsWithPitch === 0) return [];
  const speakers = Object.entries(v.perSpeaker).sort(
    (a, b) => b[1].flaggedClips - a[1].flaggedClips || b[1].clips - a[1].clips,
  );
  const rows = speakers
    .slice(0, MAX_SPEAKER_ROWS)
    .map(([s, p]) => [
      cell(s),
      cell(p.gender ?? '–'),
      count(p.clips),
      hz(p.medianHz),
      `${hz(p.lowHz)}–${hz(p.highHz)}`,
      count(p.flaggedClips),
      p.issues.map((i) => cell(i, 300)).join('; '),
    ]);
  const more = speakers.length - MAX_SPEAKER_ROWS;
  return [
    '## Voices',
    '',
    `${counted(v.clipsWithPitch, 'clip')} with a pitch; ${hours(v.hoursAffected)} h (${share(v.shareOfHoursAffected)}) carry a voice finding. Voice signatures are compared within speakers of at least \`minClipsPerSpeaker\` clips: ${counted(v.speakersScored, 'speaker')} here.`,
    '',
    ...table(
      ['speaker', 'gender', 'clips', 'F0 median (Hz)', 'F0 p5–p95 (Hz)', 'flagged clips', 'issues'],
      'llrrlrl',
      rows,
    ),
    ...(more > 0
      ? [`… and ${counted(more, 'more speaker')} (fewer flagged clips) in report.html and report.json.`, '']
      : []),
  ];
}
