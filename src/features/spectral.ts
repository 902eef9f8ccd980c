import Meyda from 'meyda';

// meyda's extractors are small pure functions over a precomputed spectrum; calling them directly
// (instead of Meyda.extract) lets one FFT per frame feed every feature.
type Extractor = (args: { ampSpectrum: ArrayLike<number>; sampleRate?: number; bufferSize?: number }) => number;
// meyda's type declarations omit `featureExtractors`, which its runtime object carries.
const extractors = (Meyda as unknown as { featureExtractors: Record<string, Extractor> }).featureExtractors;

/** Spectral centroid in Hz (meyda returns FFT-bin units). */
export function spectralCentroidHz(amp: Float64Array, sampleRate: number, fftSize: number): number {
  const bin = extractors.spectralCentroid({ ampSpectrum: amp });
  return Number.isFinite(bin) ? (bin * sampleRate) / fftSize : 0;
}

/**
 * Wiener entropy of an amplitude spectrum, 0 (tonal) … 1 (white noise); 0 for a silent frame.
 * Same definition as meyda's spectralFlatness, but one log per 8 bins instead of one per bin: that
 * log was a third of the feature stage's time. Amplitudes are floored at 1e-30 so a product of 8 stays
 * far above the double's range limit.
 */
export function spectralFlatness(amp: Float64Array): number {
  const n = amp.length;
  let sum = 0;
  let logSum = 0;
  let product = 1;
  for (let k = 0; k < n; k++) {
    const a = amp[k];
    sum += a;
    product *= a > 1e-30 ? a : 1e-30;
    if ((k & 7) === 7) {
      logSum += Math.log(product);
      product = 1;
    }
  }
  logSum += Math.log(product);
  if (!(sum > 0)) return 0;
  return (Math.exp(logSum / n) * n) / sum;
}
