// The module's exports: every kernel the features call (see ../wasm.ts).
export { decimate, halve, prefixSquares, dipsUnder, yinPeriod } from './pitch';
export { powerSpectrum } from './fft';
export { spectralFrames, cepstra } from './spectra';
export { scanClip, loudSamples } from './sweep';
export { truePeakAround } from './true-peak';
