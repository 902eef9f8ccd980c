import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { butterworthHighPass, SPEECH_BAND_HZ } from '../src/dsp/speech-band.js';
import { fromAmplitudeStats } from '../src/dsp/wada-snr.js';
import { computeFeatures } from '../src/features/frames.js';
import type { DecodedAudio } from '../src/types.js';
import { rumbleNoise, whiteNoise } from '../scripts/bench/noise.js';
import { analyze, decode, pcmAudio } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

const LJ = join(REAL, 'ljspeech', 'wavs');
const asAudio = pcmAudio;
const sine = (n: number, hz: number, amp: number, rate: number) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
const power = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0) / x.length;
/** `x` with `noise` added at `db` relative to `x`'s mean power. */
function plus(x: Float32Array, noise: Float32Array, db: number): Float32Array {
  const g = Math.sqrt((power(x) * 10 ** (db / 10)) / power(noise));
  return x.map((v, i) => v + g * noise[i]);
}
function padded(x: Float32Array, rate: number, leadSec: number, trailSec: number): Float32Array {
  const out = new Float32Array(Math.round(leadSec * rate) + x.length + Math.round(trailSec * rate));
  out.set(x, Math.round(leadSec * rate));
  return out;
}

describe('the speech band in the one pass', () => {
  it('frame energies and WADA sums of the high-passed signal equal a plain filter loop', async () => {
    const audio = await decode(join(LJ, 'LJ001-0002.wav'));
    const x = audio.samples;
    const f = computeFeatures(audio);
    const q = butterworthHighPass(audio.sampleRate, SPEECH_BAND_HZ);
    const y = new Float64Array(x.length);
    let sumAbs = 0;
    let sumLog = 0;
    for (let i = 0; i < x.length; i++) {
      const x1 = i > 0 ? x[i - 1] : 0;
      const x2 = i > 1 ? x[i - 2] : 0;
      y[i] = q.b0 * (x[i] - 2 * x1 + x2) - q.a1 * (i > 0 ? y[i - 1] : 0) - q.a2 * (i > 1 ? y[i - 2] : 0);
      if (x[i] !== 0) {
        sumAbs += Math.abs(y[i]);
        sumLog += Math.log(Math.max(1e-30, Math.abs(y[i])));
      }
    }
    expect(f.stats.bandSumAbs / sumAbs).toBeCloseTo(1, 9);
    expect(f.stats.bandSumLogAbs / sumLog).toBeCloseTo(1, 9);
    const half = f.frameSize >> 1;
    for (const frame of [0, 10, 77, f.frameCount - 1]) {
      const lo = Math.max(0, frame * f.hopSize - half);
      const hi = Math.min(x.length, frame * f.hopSize - half + f.frameSize);
      let e = 0;
      for (let i = lo; i < hi; i++) e += y[i] * y[i];
      expect(f.bandRmsDb[frame]).toBeCloseTo(10 * Math.log10(e / (hi - lo)), 3);
    }
    expect(fromAmplitudeStats(sumAbs, sumLog, f.stats.nonZero)).toBeGreaterThan(10);
  });

  it('takes ≥ 14 dB off a 40 Hz rumble and leaves 1 kHz alone', () => {
    for (const rate of [16000, 22050, 48000]) {
      const low = computeFeatures(asAudio(sine(rate, 40, 0.1, rate), rate));
      const mid = computeFeatures(asAudio(sine(rate, 1000, 0.1, rate), rate));
      const at = low.frameCount >> 1;
      expect(low.rmsDb[at] - low.bandRmsDb[at]).toBeGreaterThanOrEqual(14);
      expect(Math.abs(mid.rmsDb[at] - mid.bandRmsDb[at])).toBeLessThan(0.1);
    }
  });
});

describe('speech found under rumble, clicks and noise', () => {
  let clean: DecodedAudio;
  let lead0: number;
  let trail0: number;
  beforeAll(async () => {
    clean = await decode(join(LJ, 'LJ001-0001.wav'));
    const m = analyze(clean).metrics;
    lead0 = m['silence.leading_sec'];
    trail0 = m['silence.trailing_sec'];
  });

  it('rumble 15 dB below the speech neither starts nor ends speech, and a click before it does not either', () => {
    const rate = clean.sampleRate;
    const x = padded(clean.samples, rate, 1, 0.8);
    // A 20 ms click at full scale 0.4 s in: alone in the pad, far from the speech.
    for (let i = Math.round(0.4 * rate); i < Math.round(0.42 * rate); i++) x[i] = i % 2 ? 0.9 : -0.9;
    const noisy = plus(x, rumbleNoise(x.length, 5, rate), -15);
    const { metrics, codes } = analyze(asAudio(noisy, rate));
    expect(Math.abs(metrics['silence.leading_sec'] - (1 + lead0))).toBeLessThanOrEqual(0.1);
    expect(Math.abs(metrics['silence.trailing_sec'] - (0.8 + trail0))).toBeLessThanOrEqual(0.1);
    // Repairable rumble, not noise that drops the clip.
    expect(codes).toContain('noise.rumble');
    expect(codes).not.toContain('noise.low_snr');
    expect(metrics['noise.snr_db']).toBeGreaterThan(20);
    expect(metrics['noise.high_pass_hz']).toBe(80);
  });

  it('white noise 20 dB below the speech: edges within 0.1 s', () => {
    const rate = clean.sampleRate;
    const x = padded(clean.samples, rate, 0.8, 0.8);
    const { metrics } = analyze(asAudio(plus(x, whiteNoise(x.length, 3), -20), rate));
    expect(Math.abs(metrics['silence.leading_sec'] - (0.8 + lead0))).toBeLessThanOrEqual(0.1);
    expect(Math.abs(metrics['silence.trailing_sec'] - (0.8 + trail0))).toBeLessThanOrEqual(0.1);
  });

  it('a clean clip has neither rumble nor hum', () => {
    const { codes } = analyze(clean);
    expect(codes.filter((c) => c.startsWith('noise.'))).toEqual([]);
  });
});

describe('hum', () => {
  it.each([50, 60])('%i Hz mains with harmonics is found and named', async (mains) => {
    const clip = await decode(join(LJ, 'LJ001-0003.wav'));
    const rate = clip.sampleRate;
    const x = clip.samples.slice();
    for (let i = 0; i < x.length; i++)
      for (const [h, amp] of [
        [1, 0.003],
        [2, 0.0015],
        [3, 0.001],
      ])
        x[i] += amp * Math.sin((2 * Math.PI * h * mains * i) / rate);
    const { metrics, codes } = analyze(asAudio(x, rate));
    expect(codes).toContain('noise.hum');
    expect(metrics['noise.hum_hz']).toBe(mains);
    expect(codes).not.toContain('noise.low_snr');
  });
});

describe('cut-off words', () => {
  it('a clip that starts or ends inside a word is flagged; the whole clip is not', async () => {
    const clip = await decode(join(LJ, 'LJ001-0001.wav'));
    const rate = clip.sampleRate;
    const whole = analyze(clip).codes;
    expect(whole).not.toContain('silence.cut_onset');
    expect(whole).not.toContain('silence.cut_offset');
    // 1.0–3.0 s of LJ001-0001 lies inside "Printing, in the only sense …": loud speech at both cuts.
    const features = computeFeatures(clip);
    const hop = features.hopSec;
    // Cut where a frame is within 6 dB of the clip's loudest, so each edge sits in a vowel.
    const loud = (from: number) => {
      const peak = Math.max(...features.bandRmsDb);
      let i = Math.round(from / hop);
      while (features.bandRmsDb[i] < peak - 6) i++;
      return Math.round(i * hop * rate);
    };
    const cut = clip.samples.slice(loud(1.0), loud(3.0));
    const { codes, metrics } = analyze(asAudio(cut, rate));
    expect(codes).toContain('silence.cut_onset');
    expect(codes).toContain('silence.cut_offset');
    expect(metrics['silence.onset_level_db']).toBeGreaterThan(-12);
  });
});

describe('real rumble', () => {
  it('p226_001_mic2 (VCTK 0.92: rumble below 100 Hz, else clean) is kept with a high-pass, not dropped', async () => {
    const audio = await decode(join(REAL, 'vctk', 'wav48_silence_trimmed', 'p226', 'p226_001_mic2.flac'));
    const { metrics, codes } = analyze(audio);
    expect(codes).not.toContain('noise.low_snr');
    // `sox highpass 80` then an SNR measure read 35.4 dB (issue #13).
    expect(metrics['noise.snr_db']).toBeGreaterThan(30);
    expect(codes).toContain('noise.rumble');
    expect(metrics['noise.rumble_db']).toBeGreaterThan(-20);
  });
});
