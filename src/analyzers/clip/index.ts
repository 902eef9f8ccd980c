import type { ClipAnalyzer } from '../types.js';
import { alignment } from './alignment.js';
import { bandwidth } from './bandwidth.js';
import { loudness } from './loudness.js';
import { noise } from './noise.js';
import { phonemes } from './phonemes.js';
import { pitch } from './pitch.js';
import { prosody } from './prosody.js';
import { rate } from './rate.js';
import { signal } from './signal.js';
import { silence } from './silence.js';
import { text } from './text.js';
import { voice } from './voice.js';

/** Every clip analyzer, in run order: a later one may read an earlier one's metrics (rate, phonemes and alignment read silence). */
export const clipAnalyzers = [
  signal,
  silence,
  noise,
  loudness,
  bandwidth,
  text,
  rate,
  phonemes,
  alignment,
  pitch,
  voice,
  prosody,
] as const satisfies readonly ClipAnalyzer[];

export type ClipAnalyzers = typeof clipAnalyzers;
