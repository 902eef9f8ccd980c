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

/** Wiener entropy, 0 (tonal) … 1 (white noise); 0 for a silent frame. */
export function spectralFlatness(amp: Float64Array): number {
  const value = extractors.spectralFlatness({ ampSpectrum: amp });
  return Number.isFinite(value) ? value : 0;
}
