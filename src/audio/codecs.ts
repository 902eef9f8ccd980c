// The codec registry: decode.ts tries these in order (magic bytes first, then the extension).

import type { Codec } from './codec.js';
import { flacCodec } from './flac.js';
import { opusCodec } from './opus.js';
import { wavCodec } from './wav.js';

export const codecs: Codec[] = [wavCodec, flacCodec, opusCodec];
