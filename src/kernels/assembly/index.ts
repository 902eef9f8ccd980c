// The module's exports: every kernel the features call (see ../wasm.ts).
export { decimate, halve, prefixSquares, dipsUnder, yinPeriod } from './pitch';
export { powerSpectrum } from './fft';
// FLAC (src/audio/flac-kernel.ts): in the same module, run on an instance of its own.
export { flacDecode } from './flac';
