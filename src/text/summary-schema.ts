import { z } from 'zod';

// The report section of the textDiversity analyzer beyond its first figures; `.describe()` texts become
// the report schema's documentation.

const sentenceCounts = <T extends z.ZodType>(t: T) => z.object({ statement: t, question: t, exclamation: t, other: t });

export const sentenceTypesSchema = z
  .object({
    counts: sentenceCounts(z.number().int()),
    shares: sentenceCounts(z.number()),
  })
  .describe(
    'clips by the final punctuation of the raw transcript: "?" question, "!" exclamation, "." or "…" statement, none other (¿ ¡ openers count when the closing mark is missing)',
  );

export const nearDuplicatesSchema = z
  .object({
    threshold: z
      .number()
      .describe(
        'edit similarity (1 − Levenshtein / longer length) of the folded texts at or above which a clip is flagged',
      ),
    indexedClips: z.number().int().describe('clips remembered for comparison (at most `maxIndexedClips`)'),
    indexFull: z
      .boolean()
      .describe(
        'true when later clips were compared with the remembered ones but not remembered themselves, so pairs among them went unchecked',
      ),
  })
  .describe(
    'near-duplicate search: MinHash (16 bands × 3 rows over character 4-grams of the lower-cased, punctuation-folded text) proposes candidates, edit similarity confirms',
  );

const examples = z.array(z.object({ token: z.string(), count: z.number().int() }));

const tokenKind = (what: string) =>
  z
    .object({
      tokens: z.number().int().describe(`${what} in the training text`),
      clips: z.number().int().describe('clips with at least one'),
      examples: examples.describe(
        'the most frequent, with counts (lower bounds once the bounded tally dropped rare ones)',
      ),
    })
    .describe(what);

export const unnormalizedSchema = z
  .object({
    digits: tokenKind('tokens holding a digit'),
    symbols: tokenKind("tokens holding a symbol of the text analyzer's `symbols` class ($ % & …)"),
    abbreviations: tokenKind(
      "tokens on the language's abbreviation list (Mr. Dr. St. etc. …; src/text/unnormalized.ts) or `extraAbbreviations`",
    ),
  })
  .describe('tokens a front end must expand, counted in the training text (the normalized text when there is one)');

export const outOfAlphabetSchema = z
  .record(
    z.string(),
    z.object({
      clips: z.number().int().describe('clips with at least one such character'),
      distinct: z.number().int().describe('distinct such characters'),
      characters: z
        .array(
          z.object({
            char: z.string(),
            code: z.string().describe('code point, U+XXXX'),
            count: z.number().int(),
            clips: z.number().int(),
          }),
        )
        .describe('the most frequent, with occurrences and clips'),
    }),
  )
  .describe(
    "per language (the clip's, else the source's, else `unknown`): characters of the training text outside the text analyzer's alphabet for it",
  );

export const speakersSchema = z
  .object({
    speakers: z
      .number()
      .int()
      .nullable()
      .describe('speakers with text; null when more than `maxTrackedSpeakers` made the tally drop some'),
    approximate: z
      .boolean()
      .describe('true when speakers were dropped and re-admitted, so counts of the listed ones may be low'),
    top: z
      .array(
        z.object({
          speaker: z.string(),
          clips: z.number().int(),
          tokens: z.number().int(),
          vocabulary: z
            .number()
            .int()
            .describe('distinct lower-cased words: exact up to 256, a HyperLogLog estimate (±3 %) past it'),
          typeTokenRatio: z.number().nullable(),
          sentenceTypes: sentenceCounts(z.number()).describe('shares of clips per sentence type'),
          duplicates: z.number().int().describe('clips flagged `text.duplicate`'),
          nearDuplicates: z.number().int().describe('clips flagged `text.near_duplicate`'),
        }),
      )
      .describe('the `topSpeakers` speakers with most clips'),
  })
  .describe('text figures per speaker');
