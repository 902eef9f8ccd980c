import { z } from 'zod';
import { alphabetInventory } from '../../text/alphabet.js';
import { boundedMap, topEntries, type BoundedMap } from '../../text/bounded-map.js';
import { hashString } from '../../text/hash.js';
import { mattrTracker } from '../../text/mattr.js';
import { spilledTranscriptIndex } from '../../text/near-duplicates-disk.js';
import { emptySentenceCounts, sentenceShares, sentenceType } from '../../text/sentences.js';
import { speakerTexts } from '../../text/speakers.js';
import {
  nearDuplicatesSchema,
  outOfAlphabetSchema,
  sentenceTypesSchema,
  speakersSchema,
  unnormalizedSchema,
} from '../../text/summary-schema.js';
import { tokenScanner, type UnnormalizedKind } from '../../text/unnormalized.js';
import type { Origin } from '../../types.js';
import { openJsonSpill } from '../../util/spill.js';
import { defineDatasetAnalyzer, type ClipFindingDraft } from '../types.js';

const config = z
  .strictObject({
    mattrWindow: z
      .number()
      .int()
      .min(10)
      .default(500)
      .describe(
        'Window of the moving-average type–token ratio (MATTR); plain TTR falls as a corpus grows, MATTR does not.',
      ),
    topCharacters: z
      .number()
      .int()
      .min(0)
      .default(100)
      .describe('How many characters the inventory lists, most frequent first.'),
    nearDuplicateThreshold: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.8)
      .describe(
        'Edit similarity (1 − Levenshtein distance / longer length) of two transcripts, lower-cased with punctuation and spacing folded, at or above which the later clip is a near-duplicate (`text.near_duplicate`). 0.8 lets about one character in five differ: a short word changed in a six-word sentence.',
      ),
    maxIndexedClips: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(1_000_000)
      .describe(
        'Clips remembered for duplicate and near-duplicate search (kept in temporary files, ≈ 250 bytes of disk a clip, removed when the run ends; their text stops at 1 GiB). Later clips are still compared with the remembered ones but not remembered themselves.',
      ),
    topSpeakers: z
      .number()
      .int()
      .min(0)
      .default(20)
      .describe('How many speakers (most clips first) the per-speaker text figures list.'),
    maxTrackedSpeakers: z
      .number()
      .int()
      .min(2)
      .default(10_000)
      .describe(
        'Speakers whose text figures are kept at once (≤ 2.2 KiB each); past it those with fewest clips so far are dropped, and the report says the figures are approximate.',
      ),
    topExamples: z
      .number()
      .int()
      .min(0)
      .default(10)
      .describe(
        'How many examples the lists of unnormalized tokens and out-of-alphabet characters give, most frequent first.',
      ),
    extraAbbreviations: z
      .record(z.string(), z.array(z.string()))
      .default({})
      .describe(
        'Abbreviations to count per language besides the built-in lists (src/text/unnormalized.ts), as written, e.g. {"en": ["Bros."]}.',
      ),
  })
  .prefault({});

const summary = z.object({
  tokens: z.number().int(),
  vocabulary: z.number().int().describe('distinct lower-cased words'),
  typeTokenRatio: z.number().nullable(),
  mattr: z.number().nullable().describe('moving-average TTR over `mattrWindow` words'),
  hapaxRatio: z.number().nullable().describe('share of the vocabulary seen once'),
  characters: z.record(z.string(), z.number().int()).describe('character inventory with counts'),
  letterCoverage: z.number().nullable().describe('share of a–z (for English) that occur; null for other languages'),
  duplicateTranscripts: z.number().int().describe('clips whose transcript exactly repeats an earlier clip'),
  nearDuplicateTranscripts: z
    .number()
    .int()
    .describe('clips whose transcript nearly repeats an earlier clip (`text.near_duplicate`)'),
  nearDuplicates: nearDuplicatesSchema,
  sentenceTypes: sentenceTypesSchema,
  unnormalized: unnormalizedSchema,
  outOfAlphabet: outOfAlphabetSchema,
  speakers: speakersSchema,
});

const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;
const WORD_SEED = 0x3c6ef372;
const KINDS: UnnormalizedKind[] = ['digits', 'symbols', 'abbreviations'];
/** Distinct examples tallied per kind of unnormalized token; rarer ones are dropped past it. */
const EXAMPLE_CAPACITY = 4096;

interface KindTally {
  tokens: number;
  clips: number;
  examples: BoundedMap<{ n: number }>;
}

export const textDiversity = defineDatasetAnalyzer({
  name: 'textDiversity',
  description:
    'Vocabulary, type–token ratios, character inventory, sentence types, exact and near-duplicate transcripts, unnormalized tokens, out-of-alphabet characters, per-speaker figures.',
  config,
  findings: {
    'text.duplicate': {
      severity: 'warning',
      description: 'the transcript repeats an earlier clip’s exactly (case and spacing folded)',
    },
    'text.near_duplicate': {
      severity: 'warning',
      description:
        'the transcript nearly repeats an earlier clip’s (edit similarity ≥ `nearDuplicateThreshold` once case, punctuation and spacing are folded); the message names the clip',
    },
  },
  summary,
  create(c, { source, alphabet: configured }) {
    const vocab = new Map<string, number>();
    const chars = new Map<string, number>();
    const mattr = mattrTracker(c.mattrWindow);
    const transcripts = spilledTranscriptIndex({ threshold: c.nearDuplicateThreshold, maxIndexed: c.maxIndexedClips });
    const sentences = emptySentenceCounts();
    const scanner = tokenScanner(configured.config.symbols, c.extraAbbreviations);
    const tallies = Object.fromEntries(
      KINDS.map((k) => [k, { tokens: 0, clips: 0, examples: boundedMap<{ n: number }>(EXAMPLE_CAPACITY, (e) => e.n) }]),
    ) as Record<UnnormalizedKind, KindTally>;
    const alphabet = alphabetInventory(configured);
    const speakers = speakerTexts(c.maxTrackedSpeakers);
    // A corpus of one repeated transcript makes every clip a finding: they wait on disk, not in an array.
    const clipFindings = openJsonSpill<ClipFindingDraft>('text-findings');
    let tokens = 0;
    let duplicates = 0;
    let nearDuplicates = 0;
    return {
      add(clip) {
        const training = clip.normalizedText ?? clip.text;
        const language = clip.language ?? source.language;
        for (const ch of training) chars.set(ch, (chars.get(ch) ?? 0) + 1);
        const wordHashes: number[] = [];
        for (const m of training.toLowerCase().matchAll(WORD)) {
          const w = m[0];
          tokens += 1;
          vocab.set(w, (vocab.get(w) ?? 0) + 1);
          mattr.push(w);
          if (clip.speaker !== undefined) wordHashes.push(hashString(w, WORD_SEED));
        }
        const type = sentenceType(clip.text);
        sentences[type] += 1;
        alphabet.add(training, language);
        const kindsSeen = new Set<UnnormalizedKind>();
        for (const { kind, token } of scanner.scan(training, language)) {
          tallies[kind].tokens += 1;
          tallies[kind].examples.upsert(token, () => ({ n: 0 })).n += 1;
          kindsSeen.add(kind);
        }
        for (const kind of kindsSeen) tallies[kind].clips += 1;

        // Repeats are found at the end, from disk (src/text/near-duplicates-disk.ts): the speaker's serial rides along.
        const serial = clip.speaker !== undefined ? speakers.add(clip.speaker, wordHashes, type) : -1;
        transcripts.observe(clip.id, training, JSON.stringify([clip.origin, serial]));
      },
      finish() {
        for (const { id, payload, match } of transcripts.finish()) {
          const [origin, serial] = JSON.parse(payload) as [Origin, number];
          if (serial >= 0) speakers.repeat(serial, match.kind);
          if (match.kind === 'exact') {
            duplicates += 1;
            clipFindings.append({
              code: 'text.duplicate',
              clipId: id,
              origin,
              message: `same transcript as ${match.of}`,
            });
          } else {
            nearDuplicates += 1;
            const similarity = Math.round(match.similarity * 1000) / 1000;
            clipFindings.append({
              code: 'text.near_duplicate',
              clipId: id,
              origin,
              message: `nearly the transcript of ${match.of} (edit similarity ${similarity.toFixed(3)})`,
              value: similarity,
              threshold: c.nearDuplicateThreshold,
            });
          }
        }
        let hapax = 0;
        for (const n of vocab.values()) if (n === 1) hapax++;
        const inventory = [...chars].sort((a, b) => b[1] - a[1]).slice(0, c.topCharacters);
        let letterCoverage: number | null = null;
        if (source.language === 'en') {
          let seen = 0;
          for (let code = 97; code <= 122; code++) {
            const ch = String.fromCharCode(code);
            if (chars.has(ch) || chars.has(ch.toUpperCase())) seen++;
          }
          letterCoverage = seen / 26;
        }
        const index = transcripts.stats();
        const kindSummary = (t: KindTally) => ({
          tokens: t.tokens,
          clips: t.clips,
          examples: topEntries(t.examples, c.topExamples, (e) => e.n).map(([token, e]) => ({ token, count: e.n })),
        });
        return {
          summary: {
            tokens,
            vocabulary: vocab.size,
            typeTokenRatio: tokens > 0 ? vocab.size / tokens : null,
            mattr: mattr.value(),
            hapaxRatio: vocab.size > 0 ? hapax / vocab.size : null,
            characters: Object.fromEntries(inventory),
            letterCoverage,
            duplicateTranscripts: duplicates,
            nearDuplicateTranscripts: nearDuplicates,
            nearDuplicates: { threshold: c.nearDuplicateThreshold, indexedClips: index.indexed, indexFull: index.full },
            sentenceTypes: { counts: { ...sentences }, shares: sentenceShares(sentences) },
            unnormalized: {
              digits: kindSummary(tallies.digits),
              symbols: kindSummary(tallies.symbols),
              abbreviations: kindSummary(tallies.abbreviations),
            },
            outOfAlphabet: alphabet.summary(c.topExamples),
            speakers: speakers.summary(c.topSpeakers),
          },
          clipFindings: clipFindings.values(),
        };
      },
      close() {
        transcripts.close();
        clipFindings.close();
      },
    };
  },
});
