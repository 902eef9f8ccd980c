import { readFileSync } from 'node:fs';
import { decodeBytes } from './src/audio/decode.js';
const bh = new Uint8Array(readFileSync('/tmp/wscratch/hour.wav'));
for (let r = 0; r < 6; r++) { const t = performance.now(); const o = await decodeBytes(bh, 'hour.wav'); const ms = performance.now() - t; console.log('1 h:', ms.toFixed(1), 'ms', o.audio.samples.length, (3600 / (ms / 1000)).toFixed(0), 'x'); }
