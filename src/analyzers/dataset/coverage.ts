import { z } from 'zod';
import type { ClipResult } from '../../types.js';
import { defineDatasetAnalyzer } from '../types.js';

const config = z
  .strictObject({
    minMinutesPerSpeaker: z
      .number()
      .min(0)
      .default(10)
      .describe(
        'Speakers with less kept-or-not audio than this (minutes) are too thin for a multi-speaker model to learn a voice from.',
      ),
    maxGroupsListed: z
      .number()
      .int()
      .min(1)
      .default(500)
      .describe(
        'How many speakers (or accents, …) the report lists by name, most hours first; balance figures always use all.',
      ),
  })
  .prefault({});

const group = z.object({ clips: z.number().int(), hours: z.number() });
const balance = z
  .object({
    groups: z.number().int(),
    normalizedEntropy: z.number().nullable().describe('entropy of the hours shares / log(groups): 1 = perfectly even'),
    gini: z.number().nullable().describe('Gini coefficient of hours per group: 0 = even, → 1 = one group holds all'),
    maxMinRatio: z.number().nullable().describe('hours of the largest group / the smallest'),
  })
  .describe('how evenly hours spread over the groups');

const FACETS = ['speaker', 'gender', 'accent', 'language', 'split'] as const;
type Facet = (typeof FACETS)[number];

const summary = z.object({
  ...(Object.fromEntries(
    FACETS.map((f) => [f, z.object({ groups: z.record(z.string(), group), balance, unlisted: z.number().int() })]),
  ) as Record<
    Facet,
    z.ZodObject<{ groups: z.ZodRecord<z.ZodString, typeof group>; balance: typeof balance; unlisted: z.ZodNumber }>
  >),
  speakersBelowMinimum: z
    .array(z.object({ speaker: z.string(), minutes: z.number() }))
    .describe('speakers under `minMinutesPerSpeaker`, fewest minutes first'),
});

export type Balance = z.output<typeof balance>;

/** Evenness of a set of group sizes: normalized entropy, Gini coefficient, largest/smallest. */
export function balanceOf(sizes: number[]): Balance {
  const xs = sizes.filter((x) => x > 0).sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n === 0 || total <= 0) return { groups: sizes.length, normalizedEntropy: null, gini: null, maxMinRatio: null };
  let entropy = 0;
  let weighted = 0;
  xs.forEach((x, i) => {
    const p = x / total;
    entropy -= p * Math.log(p);
    weighted += (i + 1) * x;
  });
  return {
    groups: sizes.length,
    normalizedEntropy: n > 1 ? entropy / Math.log(n) : 1,
    gini: (2 * weighted) / (n * total) - (n + 1) / n,
    maxMinRatio: xs[n - 1] / xs[0],
  };
}

export const coverage = defineDatasetAnalyzer({
  name: 'coverage',
  description: 'Hours and clips per speaker, gender, accent, language and split, with balance figures.',
  config,
  findings: {},
  summary,
  create(c) {
    const facets = new Map<Facet, Map<string, { clips: number; seconds: number }>>(FACETS.map((f) => [f, new Map()]));
    const add = (facet: Facet, key: string | undefined, seconds: number) => {
      if (key === undefined || key === '') return;
      const m = facets.get(facet)!;
      const g = m.get(key) ?? { clips: 0, seconds: 0 };
      g.clips += 1;
      g.seconds += seconds;
      m.set(key, g);
    };
    return {
      add(clip: ClipResult) {
        const d = clip.metrics['signal.duration_sec'] ?? 0;
        add('speaker', clip.speaker ?? '(unknown)', d);
        for (const f of ['gender', 'accent', 'language', 'split'] as const) add(f, clip[f], d);
      },
      finish() {
        const out = {} as Record<
          Facet,
          { groups: Record<string, { clips: number; hours: number }>; balance: Balance; unlisted: number }
        >;
        for (const [facet, m] of facets) {
          const sorted = [...m].sort((a, b) => b[1].seconds - a[1].seconds);
          out[facet] = {
            groups: Object.fromEntries(
              sorted.slice(0, c.maxGroupsListed).map(([k, g]) => [k, { clips: g.clips, hours: g.seconds / 3600 }]),
            ),
            balance: balanceOf(sorted.map(([, g]) => g.seconds)),
            unlisted: Math.max(0, sorted.length - c.maxGroupsListed),
          };
        }
        const speakersBelowMinimum = [...facets.get('speaker')!]
          .filter(([, g]) => g.seconds / 60 < c.minMinutesPerSpeaker)
          .sort((a, b) => a[1].seconds - b[1].seconds)
          .map(([speaker, g]) => ({ speaker, minutes: g.seconds / 60 }));
        return { summary: { ...out, speakersBelowMinimum }, clipFindings: [] };
      },
    };
  },
});
