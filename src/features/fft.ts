import FFT from 'fft.js';

/**
 * A reusable real FFT of one size: the transform object, its output buffer and a Hann window are
 * made once per size and shared by every clip, so the per-frame loop allocates nothing.
 */
export interface RealFft {
  size: number;
  window: Float64Array;
  /** Interleaved complex output of the last `powerSpectrum` call (fft.js layout). */
  out: number[];
  input: Float64Array;
  fft: FFT;
}

const cache = new Map<number, RealFft>();

export function realFft(size: number): RealFft {
  let entry = cache.get(size);
  if (!entry) {
    const window = new Float64Array(size);
    for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
    const fft = new FFT(size);
    entry = { size, window, out: fft.createComplexArray(), input: new Float64Array(size), fft };
    cache.set(size, entry);
  }
  return entry;
}

/**
 * Hann-windowed power spectrum (bins 0…size/2) of `samples[start, start+size)`; samples outside the clip count as zero.
 * Writes into `power` (length size/2+1).
 */
export function powerSpectrum(f: RealFft, samples: Float32Array, start: number, power: Float64Array): void {
  const { size, window, input, out } = f;
  const first = Math.max(0, -start);
  const end = Math.max(first, Math.min(size, samples.length - start));
  input.fill(0, 0, first);
  for (let i = first; i < end; i++) input[i] = samples[start + i] * window[i];
  input.fill(0, end);
  f.fft.realTransform(out, input);
  const bins = size / 2 + 1;
  for (let k = 0; k < bins; k++) {
    const re = out[2 * k];
    const im = out[2 * k + 1];
    power[k] = re * re + im * im;
  }
}
