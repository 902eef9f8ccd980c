/**
 * SNR from a speech/non-speech split of frame energies: mean power of speech frames (minus the
 * noise they carry) over mean power of non-speech frames. Unlike WADA-SNR it makes no assumption
 * about the noise's amplitude distribution, so it holds up for babble and hum; it needs pauses,
 * so with too few non-speech frames the quietest frames stand in for the noise.
 */
export function vadSnr(
  rmsDb: Float32Array,
  rmsDbSorted: Float32Array,
  thresholdDb: number,
  options: { minNoiseFrames?: number; floorFraction?: number } = {},
): number {
  const minNoiseFrames = options.minNoiseFrames ?? 20;
  const floorFraction = options.floorFraction ?? 0.1;
  let speechPower = 0;
  let speechFrames = 0;
  let noisePower = 0;
  let noiseFrames = 0;
  for (let i = 0; i < rmsDb.length; i++) {
    const p = 10 ** (rmsDb[i] / 10);
    if (rmsDb[i] > thresholdDb) {
      speechPower += p;
      speechFrames++;
    } else {
      noisePower += p;
      noiseFrames++;
    }
  }
  if (speechFrames === 0) return NaN;
  let noise = noiseFrames > 0 ? noisePower / noiseFrames : 0;
  if (noiseFrames < minNoiseFrames) {
    const sorted = rmsDbSorted;
    const k = Math.max(1, Math.floor(sorted.length * floorFraction));
    let sum = 0;
    for (let i = 0; i < k; i++) sum += 10 ** (sorted[i] / 10);
    noise = sum / k;
  }
  // Signal power over the whole clip (speech frames' excess power × their share), as SNR is
  // conventionally defined and as WADA-SNR measures it; pauses carry no signal.
  const activity = speechFrames / rmsDb.length;
  const signal = (speechPower / speechFrames - noise) * activity;
  if (!(noise > 0)) return 100;
  return Math.min(100, 10 * Math.log10(Math.max(signal, noise * 1e-3) / noise));
}
