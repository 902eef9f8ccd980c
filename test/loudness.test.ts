import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { codecs } from '../src/audio/codecs.js';
import { decodeFile } from '../src/audio/decode.js';
import { highPassFilter, integratedLoudness, shelfFilter } from '../src/dsp/loudness.js';
import { toDbtp, truePeak } from '../src/dsp/true-peak.js';
import type { DecodedAudio } from '../src/types.js';
import { analyze, decode, sox } from './helpers/audio.js';
import { REAL, tempDir } from './helpers/run.js';

const execFileAsync = promisify(execFile);

// Reference: ffmpeg's ebur128 filter. Without `dual_mono` it weighs a mono channel 1 (as BS.1770 and
// our code do), so no offset applies. Its summary prints one decimal, hence ±0.05 of rounding. Run
// asynchronously, so that the concurrent tests overlap ffmpeg's start-up (most of its time here).
async function ffmpegEbur128(path: string) {
  const { stderr } = await execFileAsync('ffmpeg', [
    '-nostats',
    '-hide_banner',
    '-i',
    path,
    '-af',
    'ebur128=framelog=verbose:peak=true',
    '-f',
    'null',
    '-',
  ]);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const num = (re: RegExp) => {
    const m = re.exec(summary);
    if (!m) throw new Error(`ffmpeg ebur128 summary lacks ${re}: ${summary}`);
    return m[1] === '-inf' ? -Infinity : Number(m[1]);
  };
  return {
    integrated: num(/I:\s+(-?[\d.]+|-inf) LUFS/),
    truePeak: num(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}

function audioFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? audioFiles(join(dir, e.name)) : /\.(wav|flac|opus)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

// FLAC and Opus decoding arrive in separate codec files: a file whose codec is not registered yet is
// reported as a skipped test with the reason in its title, never dropped from the list.
const hasDecoder = (file: string) => codecs.some((c) => c.extensions.includes(extname(file).toLowerCase()));
const real = audioFiles(REAL).map(
  (f) => [relative(REAL, f) + (hasDecoder(f) ? '' : ` (SKIPPED: no ${extname(f)} decoder registered yet)`), f] as const,
);

function maxAbsDb(x: Float32Array): number {
  let p = 0;
  for (const v of x) p = Math.max(p, Math.abs(v));
  return 20 * Math.log10(p);
}

describe.concurrent('BS.1770-4 loudness and true peak against ffmpeg ebur128 on the real samples', () => {
  it('finds the real samples, every codec included', () => {
    expect(real.length).toBeGreaterThanOrEqual(25);
    expect(real.some(([, f]) => f.endsWith('.flac'))).toBe(true);
    expect(real.some(([, f]) => f.endsWith('.opus'))).toBe(true);
  });

  for (const [name, path] of real)
    it.skipIf(!hasDecoder(path))(name, async () => {
      const { audio } = await decodeFile(path);
      const ours = integratedLoudness(audio.samples, audio.sampleRate).integratedLufs;
      const ff = await ffmpegEbur128(path);
      expect(ours).not.toBeNull();
      expect(Math.abs(ours! - ff.integrated), `ours ${ours}, ffmpeg ${ff.integrated}`).toBeLessThanOrEqual(0.5);
      // The analyzer's figures come from the clip's one pass over its samples: the same as the stand-alone ones.
      const { metrics } = analyze(audio);
      expect(metrics['loudness.integrated_lufs']).toBe(ours);
      const tp = metrics['loudness.true_peak_dbtp'];
      expect(Math.abs(tp - ff.truePeak), `ours ${tp} dBTP, ffmpeg ${ff.truePeak}`).toBeLessThanOrEqual(0.5);
      expect(tp).toBeGreaterThanOrEqual(maxAbsDb(audio.samples));
      expect(tp).toBe(toDbtp(truePeak(audio.samples)));
      // Interpolating only near the sample peak finds what interpolating around every sample finds.
      expect(truePeak(audio.samples)).toBe(truePeak(audio.samples, 400));
    });
});

describe.concurrent('K-weighting re-derived per sample rate', () => {
  it('reproduces the coefficients BS.1770-4 publishes for 48 kHz', () => {
    const s = shelfFilter(48000);
    const h = highPassFilter(48000);
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-8);
    close(s.b0, 1.53512485958697);
    close(s.b1, -2.69169618940638);
    close(s.b2, 1.19839281085285);
    close(s.a1, -1.69065929318241);
    close(s.a2, 0.73248077421585);
    close(h.a1, -1.99004745483398);
    close(h.a2, 0.99007225036621);
  });

  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  // At 16–24 kHz the 48 kHz table would move the shelf and the high-pass: tones below, inside and above
  // the shelf's transition expose that, each checked against ffmpeg on the same file.
  const cases = [16000, 22050, 24000, 44100, 48000].flatMap((rate) =>
    [60, 1000, 6000].map((hz) => [rate, hz] as const),
  );
  it.each(cases)('%i Hz: %i Hz sine at −20 dBFS', async (rate, hz) => {
    const file = join(dir, `sine-${rate}-${hz}.wav`);
    sox(['-n', '-r', String(rate), '-b', '24', '-c', '1', file, 'synth', '2', 'sine', String(hz), 'gain', '-20']);
    const audio = await decode(file);
    const ours = integratedLoudness(audio.samples, audio.sampleRate).integratedLufs!;
    const ff = (await ffmpegEbur128(file)).integrated;
    expect(Math.abs(ours - ff), `ours ${ours}, ffmpeg ${ff}`).toBeLessThanOrEqual(0.5);
    if (hz === 1000) expect(Math.abs(ours - -23)).toBeLessThan(0.1);
  });

  it('applies the relative gate: a part 25 dB quieter does not count', async () => {
    const loud = join(dir, 'loud.wav');
    const quiet = join(dir, 'quiet.wav');
    const both = join(dir, 'both.wav');
    sox(['-n', '-r', '22050', '-b', '24', '-c', '1', loud, 'synth', '4', 'sine', '1000', 'gain', '-20']);
    sox(['-n', '-r', '22050', '-b', '24', '-c', '1', quiet, 'synth', '8', 'sine', '1000', 'gain', '-45']);
    sox([loud, quiet, both]);
    const audio = await decode(both);
    const ours = integratedLoudness(audio.samples, audio.sampleRate).integratedLufs!;
    // Ungated, the 8 s at −48 LUFS would pull 4 s at −23 LUFS down by 1.7 LU.
    expect(Math.abs(ours - -23)).toBeLessThan(0.15);
    expect(Math.abs(ours - (await ffmpegEbur128(both)).integrated)).toBeLessThanOrEqual(0.5);
  });

  it('returns null without a complete block or above the absolute gate', () => {
    expect(integratedLoudness(new Float32Array(48000), 48000).integratedLufs).toBeNull();
    const short = Float32Array.from({ length: 0.35 * 16000 }, (_, i) => 0.5 * Math.sin(i / 3));
    expect(integratedLoudness(short, 16000)).toMatchObject({ integratedLufs: null, blocks: 0 });
    const faint = Float32Array.from({ length: 16000 }, (_, i) => 1e-4 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    expect(integratedLoudness(faint, 16000).integratedLufs).toBeNull(); // −83 LUFS
  });
});

describe('true peak', () => {
  // fs/4 sine at 45°: every sample sits at ±A·cos(45°), the waveform peaks at A halfway between
  // samples, 3.01 dB above the sample peak. Exact ground truth, on the 4× grid. The ends fade in and out
  // over 50 ms: a sine cut off abruptly rings (Gibbs) 1 % above A next to the cut, in ffmpeg too.
  function quarterRateSine(amplitude: number, rate: number, seconds: number): DecodedAudio {
    const length = rate * seconds;
    const fade = 0.05 * rate;
    const samples = Float32Array.from({ length }, (_, n) => {
      const edge = Math.min(1, n / fade, (length - 1 - n) / fade);
      return amplitude * (0.5 - 0.5 * Math.cos(Math.PI * edge)) * Math.sin((Math.PI / 2) * n + Math.PI / 4);
    });
    return { samples, sampleRate: rate, durationSec: seconds, codec: 'pcm', channels: 1, bitDepth: 32 };
  }

  it('finds the inter-sample peak of an fs/4 sine', () => {
    const { samples } = quarterRateSine(0.5, 48000, 1);
    expect(maxAbsDb(samples)).toBeCloseTo(-9.03, 2);
    expect(Math.abs(toDbtp(truePeak(samples)) - -6.02)).toBeLessThan(0.02);
  });

  it('flags inter-sample clipping that the sample peak does not show', () => {
    // Samples at −1 dBFS (not clipped), waveform at +2 dBTP.
    const audio = quarterRateSine(10 ** (2 / 20), 22050, 2);
    const r = analyze(audio);
    expect(r.metrics['signal.peak_dbfs']).toBeCloseTo(-1.01, 1);
    expect(Math.abs(r.metrics['loudness.true_peak_dbtp'] - 2)).toBeLessThan(0.02);
    expect(r.codes).toContain('loudness.true_peak_over');
    expect(r.codes).not.toContain('signal.clipping');
  });
});

describe('loudness analyzer findings', () => {
  let dir: string;
  const LJ = join(REAL, 'ljspeech', 'wavs');
  beforeAll(() => {
    dir = tempDir();
  });

  it('leaves a real clip alone and flags it 20 dB quieter', async () => {
    const clean = analyze(await decode(join(LJ, 'LJ001-0004.wav')));
    expect(clean.codes.filter((c) => c.startsWith('loudness.'))).toEqual([]);
    sox([join(LJ, 'LJ001-0004.wav'), join(dir, 'quiet.wav'), 'gain', '-20']);
    const quiet = analyze(await decode(join(dir, 'quiet.wav')));
    expect(quiet.metrics['loudness.integrated_lufs']).toBeCloseTo(clean.metrics['loudness.integrated_lufs'] - 20, 1);
    expect(quiet.codes).toContain('loudness.too_quiet');
  });

  it('flags a clip squashed by a limiter', async () => {
    // +14 dB into sox's compander used as a brick-wall limiter at −1 dBFS: ≈ −9 LUFS, louder than any corpus.
    sox([
      join(LJ, 'LJ001-0004.wav'),
      join(dir, 'loud.wav'),
      'gain',
      '14',
      'compand',
      '0,0.05',
      '-20,-20,-1,-1',
      '0',
      '-90',
      '0',
    ]);
    const r = analyze(await decode(join(dir, 'loud.wav')));
    expect(r.metrics['loudness.integrated_lufs']).toBeGreaterThan(-10);
    expect(r.codes).toContain('loudness.too_loud');
  });
});
