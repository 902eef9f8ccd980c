import type { Biquad } from './loudness.js';

/**
 * Lower edge of the speech band (Hz). Below it lie rumble, handling noise and the lowest hum line; the lowest male
 * voices start near 80 Hz, and a 2-pole high-pass at 100 Hz takes only ≈ 4 dB off 85 Hz while it removes ≈ 15 dB
 * at 40 Hz (the measure of issue #13: −42 dBFS rumble read −57 dBFS after `sox highpass 100`).
 */
export const SPEECH_BAND_HZ = 100;

/** 2-pole Butterworth high-pass at `cutoffHz` (RBJ cookbook). Its numerator is b0·(1, −2, 1). */
export function butterworthHighPass(sampleRate: number, cutoffHz: number): Biquad {
  const w0 = (2 * Math.PI * Math.min(cutoffHz, 0.45 * sampleRate)) / sampleRate;
  const alpha = Math.sin(w0) / Math.SQRT2;
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 + cos) / 2 / a0;
  return { b0, b1: -2 * b0, b2: b0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}
