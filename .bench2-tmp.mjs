import { readFileSync } from 'node:fs';
const b = new Uint8Array(readFileSync('/tmp/wscratch/hour.wav'));
const n = (b.length - 44) / 2;
function a(src, n) { const out = new Float32Array(n); for (let i = 0; i < n; i++) out[i] = src[i] * (1 / 32768); return out; }
function c(src, n) { const out = new Float32Array(n); out.set(src); return out; }
function d(src, n) { const out = new Float32Array(n); out.set(src); for (let i = 0; i < n; i++) out[i] *= 1 / 32768; return out; }
function e(src, n) { const out = new Float32Array(n); const k = 1/32768; let i = 0; for (; i + 4 <= n; i += 4) { out[i] = src[i] * k; out[i+1] = src[i+1] * k; out[i+2] = src[i+2] * k; out[i+3] = src[i+3] * k; } for (; i < n; i++) out[i] = src[i] * k; return out; }
for (const [name, f] of [['loop', a], ['set', c], ['set+scale', d], ['unrolled', e]]) {
  for (let r = 0; r < 3; r++) { const t = performance.now(); const src = new Int16Array(b.buffer, b.byteOffset + 44, n); f(src, n); console.log(name, (performance.now() - t).toFixed(1)); }
}
