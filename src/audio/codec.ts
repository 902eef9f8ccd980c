// The interface every codec implements. A new container/codec (FLAC, Ogg Opus, …) is one file exporting a
// `Codec` plus one entry in `./codecs.ts`; decode.ts picks from that list and knows nothing else.

import type { Limits } from '../limits.js';
import type { DecodedAudio, FindingSpec } from '../types.js';
import type { DecodeProblem } from './errors.js';

export interface DecodeOutcome {
  audio: DecodedAudio;
  /** Non-fatal defects found while decoding (e.g. `audio.truncated`). */
  problems: DecodeProblem[];
}

export interface Codec {
  name: string;
  /** Lower-case, with the dot (`.wav`); used only when no codec recognises the first bytes. */
  extensions: string[];
  /** True when the first bytes (up to 16) are this codec's magic. Must not throw on short input. */
  sniff(head: Uint8Array): boolean;
  /**
   * Throws `DecodeError` for anything it cannot decode; `file` is the display name for messages. A codec checks
   * what its header declares against `limits` (see `exceededLimit`) before it allocates for the samples.
   */
  decode(bytes: Uint8Array, file: string, limits: Limits): Promise<DecodeOutcome> | DecodeOutcome;
  /** Codes only this codec raises, beside the shared `audio.*` ones. */
  findings?: Record<string, FindingSpec>;
}
