import { markdownText } from './report-html-escape.js';
import type { AuditReport } from './report-schema.js';

const hz = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

/** The voices section of report.md: F0 range per speaker, suspicious speakers first, and the hours affected. */
export function voicesMarkdown(r: AuditReport): string[] {
  const v = r.dataset.voices;
  if (!v || v.clipsWithPitch === 0) return [];
  const speakers = Object.entries(v.perSpeaker).sort(
    (a, b) => b[1].flaggedClips - a[1].flaggedClips || b[1].clips - a[1].clips,
  );
  const lines = [
    '## Voices',
    '',
    `${v.clipsWithPitch} clips with a pitch; ${v.hoursAffected.toFixed(3)} h (${(100 * v.shareOfHoursAffected).toFixed(1)} %) carry a voice finding. Voice signatures are compared within speakers of at least \`minClipsPerSpeaker\` clips: ${v.speakersScored} speaker(s) here.`,
    '',
    '| speaker | gender | clips | F0 median (Hz) | F0 low–high (Hz) | flagged clips | issues |',
    '|---|---|---:|---:|---|---:|---|',
  ];
  for (const [s, p] of speakers.slice(0, 50)) {
    const issues = p.issues.map((i) => markdownText(i, 300)).join('; ');
    lines.push(
      `| ${markdownText(s)} | ${markdownText(p.gender ?? '–')} | ${p.clips} | ${hz(p.medianHz)} | ${hz(p.lowHz)}–${hz(p.highHz)} | ${p.flaggedClips} | ${issues} |`,
    );
  }
  if (speakers.length > 50) lines.push(`| … ${speakers.length - 50} more speakers | | | | | | |`);
  lines.push('');
  return lines;
}
