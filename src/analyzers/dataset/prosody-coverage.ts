import { z } from 'zod';
import { CONTOURS, type Contour } from '../../features/prosody.js';
import { SENTENCE_TYPES, sentenceType } from '../../text/sentences.js';
import type { ClipResult } from '../../types.js';
import type { MetricStats } from '../../util/metric-stats.js';
import { round } from '../../util/stats.js';
import { defineDatasetAnalyzer } from '../types.js';
import {
  addTo,
  expressiveness,
  FIGURES,
  histogramMedian,
  measured,
  newTally,
  type Figure,
  type Tally,
} from './prosody-tally.js';

// Prosody coverage: does the set teach varied intonation, or one calm reading voice? Per speaker and over the set:
// how far pitch moves within clips, how clips end by sentence type (do questions rise?), loudness and pace
// variation, and one expressiveness figure per speaker; then the same in plain words. Every per-speaker figure is
// a fixed-size tally (prosody-tally.ts); the set's percentiles come from the run's metric sketches.

const config = z
  .strictObject({
    fullSpreadSt: z
      .number()
      .positive()
      .default(4)
      .describe(
        "F0 spread (semitones) that earns the pitch half of expressiveness in full (LJSpeech's clips spread 3.8–6.5, VCTK's 1–4).",
      ),
    minContours: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('A speaker needs this many clips with a measured final contour for an expressiveness figure.'),
    minQuestionRiseShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('When fewer of the questions than this share end rising, the report says questions are read flat.'),
    narrowSpreadSt: z
      .number()
      .positive()
      .default(1.5)
      .describe('A median F0 spread (semitones) below this makes the report call the set narrow (monotone reading).'),
  })
  .prefault({});

const nullable = z.number().nullable();
const contourCounts = z.object({ rise: z.number().int(), fall: z.number().int(), flat: z.number().int() });
const percentiles = z.object({ p10: nullable, p50: nullable, p90: nullable });

const speakerSummary = z.object({
  clips: z.number().int(),
  gender: z.string().optional(),
  f0SpreadSt: nullable.describe('median clip F0 spread (semitones, to 0.125)'),
  energySpreadDb: nullable.describe('median clip loudness spread over voiced frames (dB, to 0.5)'),
  syllableRate: nullable.describe('median clip syllable rate (nuclei per second, to 0.125)'),
  paceSpread: nullable.describe('median clip pace variation between phrases (coefficient of variation, to 0.025)'),
  questions: z.number().int().describe('questions with a measured final contour'),
  questionsRising: z.number().int(),
  statements: z.number().int().describe('statements with a measured final contour'),
  statementsFalling: z.number().int(),
  monotoneClips: z.number().int(),
  expressiveness: nullable.describe(
    '0–100: the mean of pitch movement (median F0 spread / fullSpreadSt, capped at 1) and contour variety (normalised entropy of rise / fall / flat)',
  ),
});

const summary = z.object({
  clips: z.number().int().describe('clips with voiced speech'),
  figures: z
    .record(z.string(), percentiles)
    .describe('10th, 50th and 90th percentile over the clips of each prosody metric (semitones, dB, 1/s, ratio)'),
  contoursBySentence: z
    .record(z.string(), contourCounts)
    .describe('final contours (rise / fall / flat) by sentence type of the transcript'),
  questionsRisingShare: nullable.describe('share (0–1) of questions with a measured contour that end rising'),
  statementsFallingShare: nullable.describe('share (0–1) of statements with a measured contour that end falling'),
  monotoneClips: z.number().int(),
  narrowSpreadSt: z.number().describe('the `narrowSpreadSt` the verdicts used (semitones)'),
  perSpeaker: z.record(z.string(), speakerSummary),
  verdicts: z.array(z.string()).describe('the coverage in plain words'),
});

type Summary = z.output<typeof summary>;

const METRIC_OF: Record<Figure, string> = {
  f0SpreadSt: 'prosody.f0_spread_st',
  energySpreadDb: 'prosody.energy_spread_db',
  syllableRate: 'prosody.syllable_rate',
  paceSpread: 'prosody.pace_spread',
};
const REPORTED = [
  'prosody.f0_spread_st',
  'prosody.f0_range_st',
  'prosody.final_change_st',
  'prosody.energy_spread_db',
  'prosody.syllable_rate',
  'prosody.pace_spread',
];

export const prosodyCoverage = defineDatasetAnalyzer({
  name: 'prosodyCoverage',
  description:
    'Per speaker and over the set: F0 spread, final contours by sentence type, loudness and pace variation, an expressiveness figure, and plain-words verdicts.',
  config,
  findings: {},
  summary,
  create(c) {
    const all = newTally();
    const bySpeaker = new Map<string, { tally: Tally; gender?: string }>();
    return {
      add(clip: ClipResult) {
        if (!('prosody.f0_spread_st' in clip.metrics)) return;
        const speaker = clip.speaker ?? '(unknown)';
        let s = bySpeaker.get(speaker);
        if (!s) bySpeaker.set(speaker, (s = { tally: newTally(), ...(clip.gender ? { gender: clip.gender } : {}) }));
        const final = clip.annotations?.['prosody.final'];
        const figures = {
          values: Object.fromEntries(FIGURES.map((f) => [f, clip.metrics[METRIC_OF[f]]])),
          type: sentenceType(clip.text),
          contour: (CONTOURS as readonly string[]).includes(final ?? '') ? (final as Contour) : undefined,
          monotone: clip.findings.some((f) => f.code === 'prosody.monotone'),
        };
        addTo(all, figures);
        addTo(s.tally, figures);
      },
      finish(stats: MetricStats) {
        const figures = Object.fromEntries(REPORTED.map((m) => [m, percentilesOf(stats, m)]));
        const perSpeaker: Summary['perSpeaker'] = {};
        for (const [speaker, { tally, gender }] of bySpeaker) perSpeaker[speaker] = speakerOf(tally, gender, c);
        const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
        const base = {
          clips: all.clips,
          figures,
          contoursBySentence: Object.fromEntries(SENTENCE_TYPES.map((t) => [t, { ...all.contours[t] }])),
          questionsRisingShare: share(all.contours.question.rise, measured(all, 'question')),
          statementsFallingShare: share(all.contours.statement.fall, measured(all, 'statement')),
          monotoneClips: all.monotone,
          narrowSpreadSt: c.narrowSpreadSt,
          perSpeaker,
        };
        return { summary: { ...base, verdicts: verdicts(base, c) }, clipFindings: [] };
      },
    };
  },
});

function percentilesOf(stats: MetricStats, metric: string) {
  const m = stats.get(metric);
  const q = (p: number) => (m && m.count > 0 ? m.quantile(p) : null);
  return { p10: q(10), p50: q(50), p90: q(90) };
}

function speakerOf(t: Tally, gender: string | undefined, c: z.output<typeof config>) {
  return {
    clips: t.clips,
    ...(gender ? { gender } : {}),
    f0SpreadSt: histogramMedian(t, 'f0SpreadSt'),
    energySpreadDb: histogramMedian(t, 'energySpreadDb'),
    syllableRate: histogramMedian(t, 'syllableRate'),
    paceSpread: histogramMedian(t, 'paceSpread'),
    questions: measured(t, 'question'),
    questionsRising: t.contours.question.rise,
    statements: measured(t, 'statement'),
    statementsFalling: t.contours.statement.fall,
    monotoneClips: t.monotone,
    expressiveness: expressiveness(t, c.fullSpreadSt, c.minContours),
  };
}

const pct = (x: number) => `${round(100 * x, 0)} %`;

/** The coverage in plain words: what a model trained on the set will and will not hear. */
export function verdicts(s: Omit<Summary, 'verdicts'>, c: z.output<typeof config>): string[] {
  if (s.clips === 0) return [];
  const out: string[] = [];
  const q = s.contoursBySentence.question;
  const questions = q.rise + q.fall + q.flat;
  if (questions === 0) {
    out.push('No question with a measured ending: the set teaches no question intonation.');
  } else {
    const rising = q.rise / questions;
    out.push(
      rising < c.minQuestionRiseShare
        ? `${pct(1 - rising)} of questions end falling or flat (${q.fall + q.flat} of ${questions}): a model trained on this set will read questions without their rise.`
        : `${pct(rising)} of questions end rising (${q.rise} of ${questions}).`,
    );
  }
  const spread = s.figures['prosody.f0_spread_st']?.p50;
  if (spread !== null && spread !== undefined) {
    out.push(
      `Median F0 spread ${round(spread, 1)} semitones${
        spread < c.narrowSpreadSt
          ? ` (below ${c.narrowSpreadSt}): narrow, a monotone reading style.`
          : ' (plain read speech spreads 1–6.5).'
      }`,
    );
  }
  if (s.statementsFallingShare !== null) out.push(`${pct(s.statementsFallingShare)} of statements end falling.`);
  if (s.monotoneClips > 0) out.push(`${s.monotoneClips} of ${s.clips} clips read monotone (prosody.monotone).`);
  const rate = s.figures['prosody.syllable_rate']?.p50 ?? null;
  const pace = s.figures['prosody.pace_spread']?.p50 ?? null;
  if (rate !== null) {
    out.push(
      `Median pace ${round(rate, 1)} syllables/s${pace !== null ? `, varying ${pct(pace)} between a clip's phrases` : ''}.`,
    );
  }
  return out;
}
