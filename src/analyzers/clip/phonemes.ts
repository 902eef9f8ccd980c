import { z } from 'zod';
import type { Utterance } from '../../types.js';
import { defineClipAnalyzer, type ClipAnalysis, type SourceInfo } from '../types.js';

/** What an analyzer returns for a clip it cannot measure. */
const NOTHING: ClipAnalysis = { metrics: {}, findings: [] };

const config = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Count phonemes with espeak-ng when the program is installed (GPL: found on PATH or `TTS_AUDIT_ESPEAK`, never bundled). Without it `phonemes.*` is absent and speaking rate is judged in characters per second (`rate`).',
      ),
    fallbackLanguage: z
      .string()
      .default('en')
      .describe(
        'Language of clips whose transcript and source name none (ISO 639-1: en, de, es, fr, it, nl, pl, pt, or any espeak-ng voice).',
      ),
  })
  .prefault({});

/** The clip's language: its own, else its source's, else the configured fallback. */
export function clipLanguage(u: Utterance, source: SourceInfo, fallback: string): string {
  return u.language ?? source.language ?? fallback;
}

/**
 * Phonemes per second of speech (dataspeech's measure, with espeak-ng so it works beyond English): unlike
 * characters, it does not count silent letters or spelling conventions, so rates compare across languages.
 * Phonemizing runs in `prepare` (a long-lived espeak-ng process per language, see src/plugins/espeak.ts).
 */
export const phonemes = defineClipAnalyzer({
  name: 'phonemes',
  description:
    'Phonemes per second of speech, from espeak-ng’s reading of the transcript in the clip’s language (absent without espeak-ng).',
  config,
  metrics: {
    'phonemes.count': 'phonemes in espeak-ng’s IPA reading of the transcript (stress marks not counted)',
    'phonemes.per_sec': 'phonemes per second of speech (first to last speech frame, `silence.speech_sec`)',
  },
  findings: {},
  uses: (c) => (c.enabled ? ['espeak'] : []),
  async prepare({
    utterance,
    config: c,
    source,
    tools: { espeak },
  }): Promise<{ count: number; tokens: string[] } | undefined> {
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
