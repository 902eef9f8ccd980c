import { z } from 'zod';
import { defineDatasetAnalyzer } from '../types.js';

const config = z
  .strictObject({
    topPhonemes: z
      .number()
      .int()
      .min(0)
      .default(80)
      .describe('How many phonemes each language’s inventory lists, most frequent first.'),
    rareDiphoneCount: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe(
        'Diphones seen this often or less are counted as rare: a model hears them too seldom to learn the transition.',
      ),
    topSpeakers: z
      .number()
      .int()
      .min(0)
      .default(20)
      .describe('How many speakers (most clips first) get their own phoneme and diphone counts.'),
  })
  .prefault({});

const languageSummary = z.object({
  clips: z.number().int(),
  phonemeTokens: z.number().int(),
  phonemes: z.number().int().describe('distinct phonemes heard'),
  diphones: z
    .number()
    .int()
    .describe('distinct phoneme pairs heard (word boundaries included: co-articulation spans them)'),
  diphoneCoverage: z
    .number()
    .nullable()
    .describe('distinct diphones / phonemes² — the share of pairs of this inventory that occur at all'),
  rareDiphones: z.number().int().describe('diphones seen no more than `rareDiphoneCount` times'),
  inventory: z.record(z.string(), z.number().int()).describe('phoneme → occurrences, most frequent first'),
});

const summary = z.object({
  languages: z
    .record(z.string(), languageSummary)
    .describe('per language of the clips (espeak-ng IPA from the phonemes analyzer)'),
  speakers: z
    .record(z.string(), z.object({ clips: z.number().int(), phonemes: z.number().int(), diphones: z.number().int() }))
    .describe('per speaker, the speakers with most clips'),
});

type Counts = { clips: number; tokens: number; phonemes: Map<string, number>; diphones: Map<string, number> };
const counts = (): Counts => ({ clips: 0, tokens: 0, phonemes: new Map(), diphones: new Map() });

function addTokens(c: Counts, tokens: string[]) {
  c.clips += 1;
  c.tokens += tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    c.phonemes.set(tokens[i], (c.phonemes.get(tokens[i]) ?? 0) + 1);
    if (i > 0) {
      const pair = `${tokens[i - 1]} ${tokens[i]}`;
      c.diphones.set(pair, (c.diphones.get(pair) ?? 0) + 1);
    }
  }
}

// State is bounded by the phoneme inventories (tens of phonemes, a few thousand diphones per language),
// not by the number of clips; speakers keep only their sets.
export const phonemeCoverage = defineDatasetAnalyzer({
  name: 'phonemeCoverage',
  description:
    'Phoneme inventory and diphone coverage per language, and per speaker, from espeak-ng’s reading of the transcripts.',
  config,
  findings: {},
  summary,
  create(c, { source }) {
    const languages = new Map<string, Counts>();
    const speakers = new Map<string, Counts>();
    return {
      add(clip) {
        const ipa = clip.annotations?.['phonemes.ipa'];
        if (!ipa) return;
        const tokens = ipa.split(' ');
        const language = clip.language ?? source.language ?? '(unknown)';
        if (!languages.has(language)) languages.set(language, counts());
        addTokens(languages.get(language)!, tokens);
        const speaker = clip.speaker ?? '(unknown)';
        if (!speakers.has(speaker)) speakers.set(speaker, counts());
        addTokens(speakers.get(speaker)!, tokens);
      },
      finish() {
        const perLanguage = Object.fromEntries(
          [...languages].map(([lang, l]) => {
            const n = l.phonemes.size;
            let rare = 0;
            for (const k of l.diphones.values()) if (k <= c.rareDiphoneCount) rare++;
            const inventory = Object.fromEntries([...l.phonemes].sort((a, b) => b[1] - a[1]).slice(0, c.topPhonemes));
            return [
              lang,
              {
                clips: l.clips,
                phonemeTokens: l.tokens,
                phonemes: n,
                diphones: l.diphones.size,
                diphoneCoverage: n > 0 ? l.diphones.size / (n * n) : null,
                rareDiphones: rare,
                inventory,
              },
            ];
          }),
        );
        const perSpeaker = Object.fromEntries(
          [...speakers]
            .sort((a, b) => b[1].clips - a[1].clips)
            .slice(0, c.topSpeakers)
            .map(([s, k]) => [s, { clips: k.clips, phonemes: k.phonemes.size, diphones: k.diphones.size }]),
        );
        return { summary: { languages: perLanguage, speakers: perSpeaker }, clipFindings: [] };
      },
    };
  },
});
