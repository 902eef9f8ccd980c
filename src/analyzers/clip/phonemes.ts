import type { Utterance } from '../../types.js';
import { defineClipAnalyzer, type ClipAnalysis, type SourceInfo } from '../types.js';
import type { PhonemesConfig } from './phonemes-config.js';

/** What an analyzer returns for a clip it cannot measure. */
const NOTHING: ClipAnalysis = { metrics: {}, findings: [] };

/** The clip's language: its own, else its source's, else the configured fallback. */
export function clipLanguage(u: Utterance, source: SourceInfo, fallback: string): string {
  return u.language ?? source.language ?? fallback;
}

/** espeak-ng's reading of the transcript. */
export interface Reading {
  count: number;
  tokens: string[];
}

/**
 * Phonemes per second of speech (dataspeech's measure, with espeak-ng so it works beyond English): unlike
 * characters, it does not count silent letters or spelling conventions, so rates compare across languages.
 * Phonemizing runs in `prepare` (a long-lived espeak-ng process per language, see src/plugins/espeak.ts).
 */
export const phonemes = defineClipAnalyzer<PhonemesConfig, Reading | undefined>({
  name: 'phonemes',
  description:
    'Phonemes per second of speech, from espeak-ng’s reading of the transcript in the clip’s language (absent without espeak-ng).',
  metrics: {
    'phonemes.count': 'phonemes in espeak-ng’s IPA reading of the transcript (stress marks not counted)',
    'phonemes.per_sec': 'phonemes per second of speech (first to last speech frame, `silence.speech_sec`)',
  },
  findings: {},
  uses: (c) => (c.enabled ? ['espeak'] : []),
  async prepare({ utterance, config: c, source, tools: { espeak } }): Promise<Reading | undefined> {
    if (!c.enabled) return undefined;
    const language = clipLanguage(utterance, source, c.fallbackLanguage);
    // A language espeak-ng cannot read leaves the clip to the characters-per-second rate.
    if (!espeak?.voiceFor(language)) return undefined;
    const [tokens] = await espeak.phonemize([utterance.normalizedText ?? utterance.text], language);
    return { count: tokens.length, tokens };
  },
  analyze({ prepared, speech }) {
    const { speechSec } = speech;
    if (!prepared || prepared.count === 0 || !(speechSec > 0)) return NOTHING;
    return {
      metrics: { 'phonemes.count': prepared.count, 'phonemes.per_sec': prepared.count / speechSec },
      findings: [],
      annotations: { 'phonemes.ipa': prepared.tokens.join(' ') },
    };
  },
});
