// The module's exports: every kernel the features call (see ../wasm.ts).
export { decimate, halve, prefixSquares, dipsUnder, yinPeriod } from './pitch';
export { powerSpectrum } from './fft';
export { spectralFrames, cepstra } from './spectra';
export { scanClip, loudSamples } from './sweep';
export { truePeakAround } from './true-peak';
// FLAC (src/audio/flac-kernel.ts): in the same module, run on an instance of its own.
export { flacDecode } from './flac';
