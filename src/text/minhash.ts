import { fmix32, hashString, seededWords } from './hash.js';

/**
 * The text two transcripts are compared on: Unicode-compatibility folded, lower case, punctuation and
 * symbols turned into spaces, spacing collapsed. Digits stay: "1455" and "fourteen fifty-five" differ.
 */
export function matchText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{C}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

export interface MinHashParams {
  /** Character n-gram length. */
  gram: number;
  bands: number;
  rows: number;
  seed: number;
}

/**
 * Character n-grams rather than word shingles: the confirmation is an edit distance on characters, and a
 * one-word change in a six-word sentence leaves most character n-grams intact but few word n-grams.
 * Returns the distinct n-gram hashes; a text shorter than one n-gram is its own single shingle.
 */
export function shingles(text: string, gram: number, seed: number): Int32Array {
  const padded = ` ${text} `;
  if (padded.length <= gram) return Int32Array.of(hashString(padded, seed) | 0);
  const grams = new Int32Array(padded.length - gram + 1);
  for (let i = 0; i < grams.length; i++) {
    // hashString of padded.slice(i, i + gram), without allocating the slice
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let j = i; j < i + gram; j++) h = Math.imul(h ^ padded.charCodeAt(j), 0x01000193);
    grams[i] = fmix32(h) | 0;
  }
  grams.sort();
  let n = 0;
  for (let i = 0; i < grams.length; i++) if (i === 0 || grams[i] !== grams[i - 1]) grams[n++] = grams[i];
  return grams.subarray(0, n);
}

/** Deterministic MinHash: `bands × rows` permutations of the shingle hashes, each an odd multiply plus fmix32. */
export function minHasher(p: MinHashParams) {
  const k = p.bands * p.rows;
  // Int32 throughout: V8 keeps small-integer arithmetic unboxed, where uint32 above 2^31 would be doubles.
  const mul = Int32Array.from(seededWords(k, p.seed), (w) => w | 1);
  const add = Int32Array.from(seededWords(k, p.seed ^ 0x5bd1e995), (w) => w | 0);
  const bandSeeds = seededWords(p.bands, p.seed ^ 0x27d4eb2f);
  return {
    /** One key per band: the hash of that band's `rows` minima (two texts share a key when all of them agree). */
    bandKeys(text: string): Uint32Array {
      const sig = new Int32Array(k).fill(0x7fffffff);
      for (const x of shingles(text, p.gram, p.seed)) {
        for (let i = 0; i < k; i++) {
          // fmix32 of an odd multiply plus offset, inlined: this loop is the analyzer's hot spot
          let v = (Math.imul(x, mul[i]) + add[i]) | 0;
          v = Math.imul(v ^ (v >>> 16), 0x85ebca6b);
          v = Math.imul(v ^ (v >>> 13), 0xc2b2ae35);
          v ^= v >>> 16;
          if (v < sig[i]) sig[i] = v;
        }
      }
      const keys = new Uint32Array(p.bands);
      for (let b = 0; b < p.bands; b++) {
        let h = bandSeeds[b];
        for (let r = 0; r < p.rows; r++) h = fmix32((h ^ sig[b * p.rows + r]) + 0x9e3779b9);
        keys[b] = h;
      }
      return keys;
    },
  };
}
