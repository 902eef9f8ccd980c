import { readFileSync } from 'node:fs';
import { decodeBytes } from './src/audio/decode.js';
const dir = '/tmp/wscratch/';
for (const f of ['u8.wav','s24.wav','s32.wav','f32.wav','f64.wav','st.wav','al.wav','ul.wav','ima.wav']) {
  const o = await decodeBytes(new Uint8Array(readFileSync(dir + f)), f);
  console.log(f, o.audio.codec, o.audio.channels, o.audio.bitDepth, o.audio.samples.length, o.problems);
}
const b60 = new Uint8Array(readFileSync(dir + 's16.wav'));
let t = performance.now();
for (let i = 0; i < 100; i++) await decodeBytes(b60, 's16.wav');
let ms = performance.now() - t; console.log('60 s x100:', ms.toFixed(1), 'ms =>', (6000 / (ms / 1000)).toFixed(0), 'x realtime');
const bh = new Uint8Array(readFileSync(dir + 'hour.wav'));
for (let r = 0; r < 3; r++) { t = performance.now(); const o = await decodeBytes(bh, 'hour.wav'); ms = performance.now() - t; console.log('1 h:', ms.toFixed(1), 'ms', o.audio.samples.length, (3600 / (ms / 1000)).toFixed(0), 'x'); }
