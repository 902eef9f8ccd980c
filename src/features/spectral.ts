// Spectral shape per frame: centroid and flatness, the definitions meyda uses (its spectralCentroid and
// spectralFlatness), computed straight from each frame's power spectrum.

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

/** Amplitude-weighted mean bin (meyda's spectralCentroid, in bins); NaN for a silent frame. */
export function spectralCentroidBin(amp: Float64Array): number {
  let weighted = 0;
  let sum = 0;
  for (let k = 0; k < amp.length; k++) {
    weighted += k * amp[k];
    sum += amp[k];
  }
  return weighted / sum;
}

/**
 * Centroid (in bins; NaN when silent) and flatness of the frame whose power spectrum is `power`, written to
 * `shape[0]` and `shape[1]`. The same sums, in the same order, as `spectralCentroidBin` and `spectralFlatness`
 * over the amplitudes √power, so the results are equal.
 */
export function frameShape(power: Float64Array, shape: Float64Array): void {
  const n = power.length;
  let weighted = 0;
  let sum = 0;
  let logSum = 0;
  let product = 1;
  for (let k = 0; k < n; k++) {
    const a = Math.sqrt(power[k]);
    weighted += k * a;
    sum += a;
    product *= a > 1e-30 ? a : 1e-30;
    if ((k & 7) === 7) {
      logSum += Math.log(product);
      product = 1;
    }
  }
  logSum += Math.log(product);
  shape[0] = weighted / sum;
  shape[1] = sum > 0 ? (Math.exp(logSum / n) * n) / sum : 0;
}
