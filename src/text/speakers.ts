import { boundedMap, topEntries } from './bounded-map.js';
import { distinctCounter } from './hll.js';
import { emptySentenceCounts, sentenceShares, type SentenceCounts, type SentenceType } from './sentences.js';

interface SpeakerState {
  /** Which admission of the speaker this is: repeats found at the end count only toward the one they arrived in. */
  serial: number;
  clips: number;
  tokens: number;
  vocabulary: ReturnType<typeof distinctCounter>;
  sentences: SentenceCounts;
  duplicates: number;
  nearDuplicates: number;
}

export interface SpeakerTextSummary {
  speaker: string;
  clips: number;
  tokens: number;
  vocabulary: number;
  typeTokenRatio: number | null;
  sentenceTypes: SentenceCounts;
  duplicates: number;
  nearDuplicates: number;
}

/**
 * Text figures per speaker, for at most `capacity` speakers at a time (≤ 2.2 KiB each: the vocabulary is a
 * bounded distinct counter, not a word set). Speakers with the fewest clips so far are dropped first, so the
 * largest speakers, the ones reported, keep exact counts unless the set has more than `capacity` speakers.
 */
export function speakerTexts(capacity: number) {
  const speakers = boundedMap<SpeakerState>(capacity, (s) => s.clips);
  let seen = 0;
  let alive: Map<number, SpeakerState> | undefined;
  const create = (): SpeakerState => {
    seen += 1;
    return {
      serial: seen,
      clips: 0,
      tokens: 0,
      vocabulary: distinctCounter(),
      sentences: emptySentenceCounts(),
      duplicates: 0,
      nearDuplicates: 0,
    };
  };
  return {
    /** Folds a clip; returns the serial to pass to `repeat` if the clip turns out to repeat another. */
    add(
      speaker: string,
      wordHashes: readonly number[],
      type: SentenceType,
      duplicate?: 'exact' | 'near' | undefined,
    ): number {
      alive = undefined;
      const s = speakers.upsert(speaker, create);
      s.clips += 1;
      s.tokens += wordHashes.length;
      for (const h of wordHashes) s.vocabulary.add(h);
      s.sentences[type] += 1;
      if (duplicate === 'exact') s.duplicates += 1;
      if (duplicate === 'near') s.nearDuplicates += 1;
      return s.serial;
    },
    /**
     * Counts a repeat found only at the end toward the speaker state its clip was added to, if that state is still
     * kept: the same figures as counting it when the clip came (a state dropped since lost its counts either way).
     */
    repeat(serial: number, duplicate: 'exact' | 'near') {
      alive ??= new Map(speakers.entries().map(([, s]) => [s.serial, s]));
      const s = alive.get(serial);
      if (s && duplicate === 'exact') s.duplicates += 1;
      if (s && duplicate === 'near') s.nearDuplicates += 1;
    },
    summary(top: number) {
      const listed: SpeakerTextSummary[] = topEntries(speakers, top, (s) => s.clips).map(([speaker, s]) => {
        // An estimate may overshoot by one on tiny sets; never more words than tokens.
        const vocabulary = Math.min(s.vocabulary.count(), s.tokens);
        return {
          speaker,
          clips: s.clips,
          tokens: s.tokens,
          vocabulary,
          typeTokenRatio: s.tokens > 0 ? vocabulary / s.tokens : null,
          sentenceTypes: sentenceShares(s.sentences),
          duplicates: s.duplicates,
          nearDuplicates: s.nearDuplicates,
        };
      });
      // `seen` counts re-admissions after a prune too; exact when nothing was dropped.
      return { speakers: speakers.pruned ? null : seen, approximate: speakers.pruned, top: listed };
    },
  };
}
