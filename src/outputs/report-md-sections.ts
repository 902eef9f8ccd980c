import type { Distribution } from '../analyzers/dataset/distributions.js';
import { cell, code, count, counted, hours, num, share, table } from './report-md-util.js';
import type { AuditReport } from './report-schema.js';

// The figures of report.md between the verdict and the findings. Each table has a fixed maximum of rows, so the page
// stays the same length for ten clips or a million.

export function totalsSection(r: AuditReport): string[] {
  const s = r.summary;
  const n = s.findingsBySeverity;
  const total = n.error + n.warning + n.info;
  return [
    '## Totals',
    '',
    ...table(['', 'clips', 'hours'], 'lrr', [
      ['listed', count(s.listed), ''],
      ['analysed', count(s.analysed), hours(s.hoursAnalysed)],
      ['kept (in curated/)', count(s.kept), hours(s.hoursKept)],
      ['… of which to trim or filter', count(s.trimmed), ''],
      ['dropped (any error)', count(s.dropped), ''],
      ['unreadable audio', count(s.unreadable), ''],
      ['malformed manifest lines', count(s.malformedLines), ''],
      ['unreadable manifest, transcript or shard files', count(s.unreadableFiles), ''],
    ]),
    `${counted(total, 'finding')}: ${counted(n.error, 'error')}, ${counted(n.warning, 'warning')}, ${count(n.info)} info. ` +
      `Analysed at ${num(r.run.realtimeFactor, 0)}× real time per CPU second.`,
    '',
  ];
}

const FACETS = [
  ['speaker', 'speaker', 'speakers'],
  ['gender', 'gender', 'genders'],
  ['accent', 'accent', 'accents'],
  ['language', 'language', 'languages'],
  ['split', 'split', 'splits'],
] as const;
/** Groups named per facet; the rest are counted. */
const GROUPS_NAMED = 5;
const SPEAKERS_BELOW_NAMED = 10;

/** One row per facet the set has: how many groups, how evenly hours spread, the largest groups. */
export function coverageSection(r: AuditReport): string[] {
  const cov = r.dataset.coverage;
  if (!cov) return [];
  const rows: string[][] = [];
  for (const [facet, one, many] of FACETS) {
    const { groups, balance } = cov[facet];
    const entries = Object.entries(groups);
    if (entries.length === 0) continue;
    const named = entries
      .slice(0, GROUPS_NAMED)
      .map(([k, g]) => `${cell(k, 40)} ${hours(g.hours)} h`)
      .join(', ');
    const more = balance.groups - Math.min(entries.length, GROUPS_NAMED);
    const even =
      balance.groups < 2
        ? `one ${one}: nothing to balance`
        : `entropy ${num(balance.normalizedEntropy)}, Gini ${num(balance.gini)}, largest/smallest ${num(balance.maxMinRatio, 1)}`;
    rows.push([counted(balance.groups, one, many), even, `${named}${more > 0 ? `, … ${count(more)} more` : ''}`]);
  }
  const lines = ['## Coverage', ''];
  lines.push(
    'Hours of analysed audio (dropped clips included). Balance: normalized entropy 1 and Gini 0 are an even spread.',
    '',
  );
  lines.push(...table(['groups', 'balance of hours', 'largest'], 'rll', rows));
  const below = cov.speakersBelowMinimum;
  if (below.length > 0) {
    const listed = below
      .slice(0, SPEAKERS_BELOW_NAMED)
      .map((s) => `${cell(s.speaker, 40)} (${num(s.minutes, 1)} min)`)
      .join(', ');
    lines.push(
      `${counted(below.length, 'speaker has', 'speakers have')} less than ${r.config.analyzers.coverage.minMinutesPerSpeaker} minutes: ${listed}${below.length > SPEAKERS_BELOW_NAMED ? ', …' : ''}.`,
      '',
    );
  }
  return lines;
}

/**
 * Estimators that saturate: at their ceiling they say "this much or more", not a measurement (WADA-SNR's table
 * ends at 100 dB, src/dsp/wada-snr.ts; the VAD estimate is clamped there, and the blended SNR falls back to it).
 */
const CEILINGS: Record<string, number> = {
  'noise.wada_snr_db': 100,
  'noise.vad_snr_db': 100,
  'noise.snr_db': 100,
};

function figureOf(metric: string) {
  const cap = CEILINGS[metric];
  return (x: number | null | undefined) =>
    cap !== undefined && x !== null && x !== undefined && x >= cap ? `≥ ${cap} (cap)` : num(x);
}

const PERCENTILE_COLUMNS = ['p5', 'p25', 'p50', 'p75', 'p95'] as const;

export function distributionsSection(r: AuditReport): string[] {
  const dist = r.dataset.distributions;
  if (!dist || Object.keys(dist).length === 0) return [];
  const rows = Object.entries(dist).map(([m, d]: [string, Distribution]) => {
    const fig = figureOf(m);
    return [code(m), count(d.count), ...PERCENTILE_COLUMNS.map((p) => fig(d.percentiles[p])), fig(d.min), fig(d.max)];
  });
  const capped = Object.keys(dist).some((m) => m in CEILINGS);
  return [
    '## Distributions',
    '',
    ...table(['metric', 'clips', 'p5', 'p25', 'median', 'p75', 'p95', 'min', 'max'], 'lrrrrrrrr', rows),
    ...(capped ? ['"≥ 100 (cap)": the SNR estimators stop at 100 dB; such a clip is at least that clean.', ''] : []),
  ];
}

/** `22050 Hz/16-bit/1 ch/pcm_s16le` as a reader says it; a codec with no fixed bit depth (Opus) has none to show. */
export function formatName(key: string): string {
  const m = /^(\d+) Hz\/(\d+)-bit\/(\d+) ch\/(.*)$/.exec(key);
  if (!m) return cell(key);
  const [, rate, bits, channels, codec] = m;
  const ch = channels === '1' ? 'mono' : channels === '2' ? 'stereo' : `${channels} channels`;
  return [`${rate} Hz`, bits === '0' ? '' : `${bits}-bit`, ch, cell(codec!)].filter(Boolean).join(', ');
}

const FORMATS_LISTED = 8;

export function formatSection(r: AuditReport): string[] {
  const format = r.dataset.format;
  if (!format) return [];
  const entries = Object.entries(format.formats).sort((a, b) => b[1] - a[1]);
  const e = format.expected;
  const expected = e
    ? `${formatName(`${e.sampleRate} Hz/${e.bitDepth}-bit/${e.channels} ch/`).replace(/, $/, '')} (${format.expectedFrom === 'corpus' ? "the corpus' published format" : 'the most common format here'})`
    : 'none';
  const rows = entries.slice(0, FORMATS_LISTED).map(([k, n]) => [formatName(k), count(n)]);
  if (entries.length > FORMATS_LISTED)
    rows.push([
      `… ${count(entries.length - FORMATS_LISTED)} more`,
      count(entries.slice(FORMATS_LISTED).reduce((a, [, n]) => a + n, 0)),
    ]);
  return ['## Audio formats', '', `Expected: ${expected}.`, '', ...table(['format', 'clips'], 'lr', rows)];
}

const LANGUAGES_LISTED = 8;

export function phonemeSection(r: AuditReport): string[] {
  const lines: string[] = [];
  const note = r.dataset.phonemeRateOutliers?.note;
  if (note) lines.push(`Note: ${cell(note, 400)}`, '');
  const phon = r.dataset.phonemeCoverage;
  const langs = phon ? Object.entries(phon.languages) : [];
  if (langs.length === 0) return lines;
  lines.push('### Phonemes (espeak-ng)', '');
  lines.push(
    ...table(
      ['language', 'clips', 'phonemes', 'diphones', 'diphone coverage', 'rare diphones'],
      'lrrrrr',
      langs
        .slice(0, LANGUAGES_LISTED)
        .map(([lang, l]) => [
          cell(lang, 20),
          count(l.clips),
          count(l.phonemes),
          count(l.diphones),
          share(l.diphoneCoverage ?? 0),
          count(l.rareDiphones),
        ]),
    ),
  );
  return lines;
}
