import { alignmentConfig } from './alignment-config.js';
import { bandwidthConfig } from './bandwidth-config.js';
import { loudnessConfig } from './loudness-config.js';
import { noiseConfig } from './noise-config.js';
import { phonemesConfig } from './phonemes-config.js';
import { pitchConfig } from './pitch-config.js';
import { prosodyConfig } from './prosody-config.js';
import { rateConfig } from './rate-config.js';
import { signalConfig } from './signal-config.js';
import { silenceConfig } from './silence-config.js';
import { textConfig } from './text-config.js';
import { voiceConfig } from './voice-config.js';

/**
 * Each clip analyzer's config schema (`analyzers.<name>`), in the order of `clipAnalyzers` (index.ts). Only the
 * main thread loads it, to validate a config and export its JSON Schema; the clip workers get the config parsed
 * and load the analyzers' code alone, without zod. A test holds the two registries to the same names and order.
 */
export const clipConfigs = {
  signal: signalConfig,
  silence: silenceConfig,
  noise: noiseConfig,
  loudness: loudnessConfig,
  bandwidth: bandwidthConfig,
  text: textConfig,
  rate: rateConfig,
  phonemes: phonemesConfig,
  alignment: alignmentConfig,
  pitch: pitchConfig,
  voice: voiceConfig,
  prosody: prosodyConfig,
} as const;
