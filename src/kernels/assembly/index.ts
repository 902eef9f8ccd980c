// The module's exports: every kernel the features call (see ../wasm.ts).
export { decimate, halve, prefixSquares, dipsUnder, yinPeriod } from './pitch';
export { powerSpectrum } from './fft';
export { spectralFrames, cepstra } from './spectra';
