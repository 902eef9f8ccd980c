// WAV's compressed sample codes, decoded to PCM: G.711 A-law/mu-law through tables, Microsoft IMA ADPCM by hand.
// wavefile supplies the G.711 tables, which match sox sample-exactly. Its IMA ADPCM decoder does not (repeats each
// block's first sample, drops the last block, mono only), hence imaAdpcm.

import { createRequire } from 'node:module';
import type wavefileModule from 'wavefile';

/**
 * wavefile is CommonJS: an ESM `import` runs Node's CJS lexer over its 41 kB in every thread that loads this module
 * (the main thread and each worker), hot enough for TurboFan to compile the lexer each time (~60 ms CPU a thread).
 * `require` on first use skips the lexer, and a run with no G.711 clip never loads it.
 */
const loadWavefile = () => createRequire(import.meta.url)('wavefile') as typeof wavefileModule;

const g711Tables = new Map<string, Float32Array>();
/** All 256 G.711 codes decoded once through wavefile, so decoding is a table lookup. */
export function g711Table(law: 'alaw' | 'mulaw'): Float32Array {
  let table = g711Tables.get(law);
  if (table) return table;
  const wav = new (loadWavefile().WaveFile)();
  wav.fromScratch(
    1,
    8000,
    law === 'alaw' ? '8a' : '8m',
    Uint8Array.from({ length: 256 }, (_, i) => i),
  );
  if (law === 'alaw') wav.fromALaw();
  else wav.fromMuLaw();
  table = Float32Array.from(wav.getSamples(true, Int16Array) as unknown as Int16Array, (v) => v / 32768);
  g711Tables.set(law, table);
  return table;
}

const IMA_STEP = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118,
  130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060,
  1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484,
  7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];
const IMA_INDEX = [-1, -1, -1, -1, 2, 4, 6, 8];

export const imaFramesPerBlock = (blockAlign: number, ch: number) => ((blockAlign - 4 * ch) * 2) / ch + 1;

// Microsoft IMA ADPCM → interleaved int16. Each block: a 4-byte header per channel (first sample, step
// index), then 4-byte groups of 8 nibbles (low nibble first), one group per channel in turn.
// A block cut short decodes its complete groups.
export function imaAdpcm(b: Uint8Array, start: number, present: number, ch: number, blockAlign: number): Int16Array {
  const perBlock = imaFramesPerBlock(blockAlign, ch);
  const out = new Int16Array(Math.ceil(present / blockAlign) * perBlock * ch);
  let frames = 0;
  for (let blk = start, end = start + present; blk + 4 * ch <= end; blk += blockAlign) {
    const groups = Math.floor((Math.min(blk + blockAlign, end) - blk - 4 * ch) / (4 * ch));
    for (let c = 0; c < ch; c++) {
      let pred = ((b[blk + 4 * c] | (b[blk + 4 * c + 1] << 8)) << 16) >> 16;
      let index = Math.min(b[blk + 4 * c + 2], 88);
      let o = frames * ch + c;
      out[o] = pred;
      for (let g = 0; g < groups; g++) {
        const p = blk + 4 * ch + (g * ch + c) * 4;
        for (let k = 0; k < 8; k++) {
          const n = (b[p + (k >> 1)] >> ((k & 1) * 4)) & 15;
          const step = IMA_STEP[index];
          const diff = (step >> 3) + (n & 4 ? step : 0) + (n & 2 ? step >> 1 : 0) + (n & 1 ? step >> 2 : 0);
          pred = n & 8 ? Math.max(-32768, pred - diff) : Math.min(32767, pred + diff);
          index = Math.min(88, Math.max(0, index + IMA_INDEX[n & 7]));
          out[(o += ch)] = pred;
        }
      }
    }
    frames += 1 + groups * 8;
  }
  return out.subarray(0, frames * ch);
}
