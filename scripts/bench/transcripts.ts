import { uniform } from './noise.js';

/**
 * A transcript per clip from a 3,000-word pseudo-vocabulary, seeded: clip texts differ as in a real corpus, so the
 * memory benchmarks measure the duplicate-transcript passes at their real cost, not on a million repeats.
 */
export function pseudoTranscripts(seed: number): () => string {
  const rand = uniform(seed);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 'de', 'ga', 'vi', 'ho'];
  const words = Array.from({ length: 3000 }, () =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join(''),
  );
  return () =>
    Array.from({ length: 3 + Math.floor(rand() * 4) }, () => words[Math.floor(rand() * words.length)]).join(' ') + '.';
}
