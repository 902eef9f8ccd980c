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
  const small = speakers.filter(([, p]) => p.comparison === 'too few clips').map(([s]) => s);
  const smallList = small
    .slice(0, MAX_SPEAKER_ROWS)
    .map((s) => cell(s))
    .join(', ');
  const compared =
    v.speakersScored > 0
      ? `${counted(v.speakersScored, 'speaker')} had their clips compared with each other (from 8 clips against the speaker's centre, from 5 each clip against the speaker's others)`
      : 'no speaker had enough clips (5) to compare them with each other';
  const tooSmall =
    small.length > 0
      ? ` Too few clips to compare (under \`minClipsPerSpeaker\`): ${smallList}${small.length > MAX_SPEAKER_ROWS ? ` and ${count(small.length - MAX_SPEAKER_ROWS)} more` : ''}.`
      : '';
  return [
    '## Voices',
    '',
    `${counted(v.clipsWithPitch, 'clip')} with a pitch; ${hours(v.hoursAffected)} h (${share(v.shareOfHoursAffected)}) carry a voice finding; ${compared}.${tooSmall}`,
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
