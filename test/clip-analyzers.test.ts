import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wadaSnr } from '../src/dsp/wada-snr.js';
import type { DecodedAudio } from '../src/types.js';
import { babble, mix, pinkNoise, whiteNoise } from '../scripts/bench/noise.js';
import { analyze, decode, sox, withNoise } from './helpers/audio.js';
import { REAL, tempDir } from './helpers/run.js';

const LJ = join(REAL, 'ljspeech', 'wavs');
const TEXT_0001 =
  'Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts represented in the Exhibition';

describe('silence', () => {
  let dir: string;
  let original: ReturnType<typeof analyze>['metrics'];
  beforeAll(async () => {
    dir = tempDir();
    original = analyze(await decode(join(LJ, 'LJ001-0001.wav')), TEXT_0001).metrics;
  });

  it('measures added leading and trailing silence to within 50 ms', async () => {
    // sox dithers the padding (±1 LSB), so it is near-silence rather than digital zero. The silence
    // threshold follows the clip's own level distribution, which the padding shifts a little: the
    // tolerance is the 50 ms that ffmpeg's silencedetect is held to.
    sox([join(LJ, 'LJ001-0001.wav'), join(dir, 'pad.wav'), 'pad', '1.5', '0.3']);
    const padded = analyze(await decode(join(dir, 'pad.wav')), TEXT_0001);
    expect(Math.abs(padded.metrics['silence.leading_sec'] - original['silence.leading_sec'] - 1.5)).toBeLessThanOrEqual(
      0.05,
    );
    expect(
      Math.abs(padded.metrics['silence.trailing_sec'] - original['silence.trailing_sec'] - 0.3),
    ).toBeLessThanOrEqual(0.05);
    expect(padded.codes).toContain('silence.leading');
    expect(padded.codes).not.toContain('silence.trailing');
    // The speech span, and so the speaking rate, does not change with padding.
    expect(Math.abs(padded.metrics['rate.chars_per_sec'] - original['rate.chars_per_sec'])).toBeLessThan(0.05);
  });

  it('finds a long internal pause', async () => {
    sox(['-n', '-r', '22050', '-b', '16', '-c', '1', join(dir, 'gap.wav'), 'trim', '0', '2.5']);
    sox([join(LJ, 'LJ001-0002.wav'), join(dir, 'gap.wav'), join(LJ, 'LJ001-0004.wav'), join(dir, 'joined.wav')]);
    const r = analyze(await decode(join(dir, 'joined.wav')), 'in being comparatively modern. For although the Chinese');
    expect(r.metrics['silence.longest_pause_sec']).toBeGreaterThanOrEqual(2.5);
    expect(r.metrics['silence.longest_pause_sec']).toBeLessThan(2.5 + 0.5);
    expect(r.codes).toContain('silence.long_pause');
    expect(original['silence.longest_pause_sec']).toBeLessThan(1);
  });

  it('reports no speech in a file of room tone', async () => {
    sox(['-n', '-r', '22050', '-b', '16', join(dir, 'tone.wav'), 'synth', '2', 'whitenoise', 'gain', '-70']);
    const r = analyze(await decode(join(dir, 'tone.wav')));
    expect(r.codes).toEqual(expect.arrayContaining(['signal.silent']));
  });
});

describe('noise', () => {
  let clean: DecodedAudio;
  beforeAll(async () => {
    clean = await decode(join(LJ, 'LJ001-0003.wav'));
  });

  it('WADA-SNR rises with the true SNR and lands near it for white noise', () => {
    const truth = [0, 5, 10, 15, 20];
    const est = truth.map((snr) => wadaSnr(withNoise(clean, snr, 7).samples));
    for (let i = 1; i < est.length; i++) expect(est[i]).toBeGreaterThan(est[i - 1]);
    // The true SNR here counts pauses as signal, so WADA may sit a few dB off; it must not be far.
    truth.forEach((t, i) => expect(Math.abs(est[i] - t), `true ${t} dB, estimated ${est[i]}`).toBeLessThan(4));
  });

  it('flags a noisy clip and leaves the clean one alone', () => {
    expect(analyze(withNoise(clean, 5)).codes).toContain('noise.low_snr');
    expect(analyze(clean).codes).not.toContain('noise.low_snr');
    const floorNoisy = analyze(withNoise(clean, 5)).metrics['noise.floor_dbfs'];
    expect(floorNoisy).toBeGreaterThan(analyze(clean).metrics['noise.floor_dbfs'] + 20);
  });

  it('ignores exact zeros (digital silence) instead of reading them as infinite SNR', () => {
    const padded = new Float32Array(clean.samples.length * 2);
    padded.set(clean.samples, clean.samples.length);
    expect(Math.abs(wadaSnr(padded) - wadaSnr(clean.samples))).toBeLessThan(0.01);
    expect(Number.isNaN(wadaSnr(new Float32Array(100)))).toBe(true);
  });
});

describe('signal', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it('flags clipping made by sox gain, not a loud clean tone', async () => {
    sox(['-n', '-r', '22050', '-b', '16', join(dir, 'loud.wav'), 'synth', '2', 'sine', '220', 'gain', '-1']);
    sox([join(LJ, 'LJ001-0005.wav'), join(dir, 'hot.wav'), 'gain', '10']);
    const loud = analyze(await decode(join(dir, 'loud.wav')));
    const hot = analyze(await decode(join(dir, 'hot.wav')));
    expect(loud.codes).not.toContain('signal.clipping');
    expect(loud.metrics['signal.clipped_fraction']).toBe(0);
    expect(hot.codes).toContain('signal.clipping');
    expect(hot.metrics['signal.clip_events']).toBeGreaterThan(10);
  });

  it('counts clipping runs from the loud samples as a scan of every sample does, at any clip level', async () => {
    sox([join(LJ, 'LJ001-0005.wav'), join(dir, 'hot-runs.wav'), 'gain', '10']);
    const hot = await decode(join(dir, 'hot-runs.wav'));
    // A float clip whose peak (3) puts the loud samples' threshold above 0.99: the analyzer scans every sample.
    const float = { ...hot, samples: hot.samples.map((v) => 3 * v) };
    for (const audio of [hot, float])
      for (const clipLevel of [0.5, 0.9, 0.99])
        for (const clipMinRun of [1, 3]) {
          let clipped = 0;
          let events = 0;
          let run = 0;
          for (let i = 0; i <= audio.samples.length; i++) {
            if (i < audio.samples.length && Math.abs(audio.samples[i]) >= clipLevel) run++;
            else {
              if (run >= clipMinRun) {
                clipped += run;
                events++;
              }
              run = 0;
            }
          }
          const { metrics } = analyze(audio, 'a test sentence', { analyzers: { signal: { clipLevel, clipMinRun } } });
          expect(metrics['signal.clip_events']).toBe(events);
          expect(metrics['signal.clipped_fraction']).toBe(clipped / audio.samples.length);
        }
  });

  it('measures a DC offset added by sox', async () => {
    sox([join(LJ, 'LJ001-0005.wav'), join(dir, 'dc.wav'), 'dcshift', '0.05']);
    const r = analyze(await decode(join(dir, 'dc.wav')));
    expect(r.metrics['signal.dc_offset']).toBeCloseTo(0.05, 2);
    expect(r.codes).toContain('signal.dc_offset');
  });

  it('flags too short and too long clips', async () => {
    sox([join(LJ, 'LJ001-0002.wav'), join(dir, 'short.wav'), 'trim', '0', '0.6']);
    sox([join(LJ, 'LJ001-0001.wav'), join(LJ, 'LJ001-0003.wav'), join(LJ, 'LJ001-0001.wav'), join(dir, 'long.wav')]);
    expect(analyze(await decode(join(dir, 'short.wav'))).codes).toContain('signal.too_short');
    expect(analyze(await decode(join(dir, 'long.wav'))).codes).toContain('signal.too_long');
  });
});

describe('text and speaking rate', () => {
  let audio: DecodedAudio;
  beforeAll(async () => {
    audio = await decode(join(LJ, 'LJ001-0001.wav'));
  });

  it('finds unnormalized digits and symbols, not abbreviations', () => {
    expect(analyze(audio, 'It cost $5 in 1455.').codes).toContain('text.unnormalized');
    expect(analyze(audio, 'Mister Smith paid fifty percent.').codes).not.toContain('text.unnormalized');
  });

  it('finds characters outside the alphabet: control, emoji, another script', () => {
    for (const hostile of ['bell \u0007 here', 'smile 😀 now', 'привет there', 'zero\u200bwidth']) {
      expect(analyze(audio, hostile + ' padding words to keep the rate sane').codes, hostile).toContain(
        'text.out_of_alphabet',
      );
    }
    expect(analyze(audio, TEXT_0001).codes).not.toContain('text.out_of_alphabet');
  });

  it('flags an empty transcript', () => {
    expect(analyze(audio, '   ').codes).toContain('text.empty');
  });

  it('speaking rate exposes a transcript that does not fit the audio', () => {
    const right = analyze(audio, TEXT_0001);
    expect(right.metrics['rate.chars_per_sec']).toBeGreaterThan(10);
    expect(right.metrics['rate.chars_per_sec']).toBeLessThan(18);
    expect(right.codes.filter((c) => c.startsWith('rate.'))).toEqual([]);
    expect(analyze(audio, 'Printing.').codes).toContain('rate.too_slow');
    expect(analyze(audio, TEXT_0001.repeat(3)).codes).toContain('rate.too_fast');
  });
});

describe('SNR estimate against mixed-in noise of known level', () => {
  it('the reported SNR is within 3 dB on average over 5–25 dB for white, pink and babble noise, and rises with the true SNR', async () => {
    const names = ['LJ001-0001', 'LJ001-0003', 'LJ001-0005', 'LJ001-0006'];
    const clips = await Promise.all(names.map((n) => decode(join(LJ, `${n}.wav`))));
    for (const kind of ['white', 'pink', 'babble'] as const) {
      const errors: number[] = [];
      for (const [i, clip] of clips.entries()) {
        const n = clip.samples.length;
        const others = clips.filter((_, j) => j !== i).map((c) => c.samples);
        const noise =
          kind === 'white' ? whiteNoise(n, 5 + i) : kind === 'pink' ? pinkNoise(n, 5 + i) : babble(n, others, 5 + i);
        let previous = -Infinity;
        for (const truth of [5, 10, 15, 20, 25]) {
          const est = analyze({ ...clip, samples: mix(clip.samples, noise, truth) }).metrics['noise.snr_db'];
          expect(est, `${kind} ${truth} dB`).toBeGreaterThan(previous);
          previous = est;
          errors.push(Math.abs(est - truth));
        }
      }
      const mae = errors.reduce((a, b) => a + b, 0) / errors.length;
      expect(mae, `${kind}: mean absolute error`).toBeLessThanOrEqual(3);
    }
  });
});
