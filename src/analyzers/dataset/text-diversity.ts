import { z } from 'zod';
import { defineDatasetAnalyzer, type ClipFindingDraft } from '../types.js';

const config = z
  .object({
    mattrWindow: z.number().int().min(10).default(500).describe('Window of the moving-average type–token ratio (MATTR); plain TTR falls as a corpus grows, MATTR does not.'),
    topCharacters: z.number().int().min(0).default(100).describe('How many characters the inventory lists, most frequent first.'),
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
});

const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;

/** Moving-average TTR over a sliding window, updated one word at a time in O(1). */
function mattrTracker(window: number) {
  const ring: string[] = [];
  const counts = new Map<string, number>();
  let sum = 0;
  let windows = 0;
  return {
    push(word: string) {
      ring.push(word);
      counts.set(word, (counts.get(word) ?? 0) + 1);
      if (ring.length > window) {
        const old = ring.shift()!;
        const n = counts.get(old)! - 1;
        if (n === 0) counts.delete(old);
        else counts.set(old, n);
      }
      if (ring.length === window) {
        sum += counts.size / window;
        windows += 1;
      }
    },
    value: (): number | null => (windows > 0 ? sum / windows : ring.length > 0 ? counts.size / ring.length : null),
  };
}

export const textDiversity = defineDatasetAnalyzer({
  name: 'textDiversity',
  description: 'Vocabulary, type–token ratios, character inventory and exact-duplicate transcripts.',
  config,
  findings: {
    'text.duplicate': { severity: 'warning', description: 'the transcript repeats an earlier clip’s exactly (case and spacing folded)' },
  },
  summary,
  create(c, source) {
    const vocab = new Map<string, number>();
    const chars = new Map<string, number>();
    const firstByText = new Map<string, string>();
    const mattr = mattrTracker(c.mattrWindow);
    const clipFindings: ClipFindingDraft[] = [];
    let tokens = 0;
    return {
      add(clip) {
        const training = clip.normalizedText ?? clip.text;
        for (const ch of training) chars.set(ch, (chars.get(ch) ?? 0) + 1);
        for (const m of training.toLowerCase().matchAll(WORD)) {
          const w = m[0];
          tokens += 1;
          vocab.set(w, (vocab.get(w) ?? 0) + 1);
          mattr.push(w);
        }
        const key = training.toLowerCase().replace(/\s+/gu, ' ').trim();
        if (key === '') return;
        const first = firstByText.get(key);
        if (first === undefined) firstByText.set(key, clip.id);
        else clipFindings.push({ code: 'text.duplicate', clipId: clip.id, origin: clip.origin, message: `same transcript as ${first}` });
      },
      finish() {
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
        return {
          summary: {
            tokens,
            vocabulary: vocab.size,
            typeTokenRatio: tokens > 0 ? vocab.size / tokens : null,
            mattr: mattr.value(),
            hapaxRatio: vocab.size > 0 ? hapax / vocab.size : null,
            characters: Object.fromEntries(inventory),
            letterCoverage,
            duplicateTranscripts: clipFindings.length,
          },
          clipFindings,
        };
      },
    };
  },
});
