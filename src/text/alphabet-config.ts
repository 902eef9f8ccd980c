import { z } from 'zod';
import { DEFAULT_LETTERS } from './alphabet.js';

// The settings the alphabet is compiled from (`analyzers.text`): apart from alphabet.ts so the clip workers, which
// get the config already parsed, never load zod.

export const alphabetShape = {
  letters: z
    .record(z.string(), z.string())
    .default(DEFAULT_LETTERS)
    .describe(
      'Letters allowed per language, as regex class bodies; a language not listed allows every Unicode letter.',
    ),
  punctuation: z
    .string()
    .default(` .,;:!?'"()\\-–—…’‘“”`)
    .describe('Punctuation and spacing allowed besides letters (regex class body).'),
  symbols: z
    .string()
    .default('$%&@#/+=<>§£€¥*_~^|\\\\')
    .describe(
      'Symbols a TTS front end must spell out; found in a normalized text they are unnormalized tokens (regex class body).',
    ),
};
