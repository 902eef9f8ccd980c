import { readdirSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandwidth, likelySourceRate } from '../src/analyzers/clip/bandwidth.js';
import { codecs } from '../src/audio/codecs.js';
import { configSchema } from '../src/config/schema.js';
import type { DecodedAudio } from '../src/types.js';
import { analyze, clipContext, decode, sox } from './helpers/audio.js';
import { REAL, runAll, tempDir } from './helpers/run.js';

const config = configSchema.parse({}).analyzers.bandwidth;

function measure(audio: DecodedAudio) {
  return bandwidth.analyze(clipContext(audio, config));
}

/** RMS level (dBFS) of the part of a file that passes a sox `sinc` band filter: independent ground truth. */
function bandRmsDb(path: string, band: string): number {
  const m = /^RMS lev dB\s+(-?[\d.]+|-inf)/m.exec(runAll('sox', [path, '-n', 'sinc', band, 'stats']));
  if (!m) throw new Error('no RMS level in sox stats');
  return Number(m[1]);
}

const VCTK = join(REAL, 'vctk-0.80', 'wav48', 'p225', 'p225_003.wav');
const LIBRITTS = join(REAL, 'libritts', 'test-clean', '5639', '40744', '5639_40744_000000_000002.wav');
const LJ = join(REAL, 'ljspeech', 'wavs', 'LJ001-0001.wav');

describe('bandwidth: upsampled copies of real clips', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  // [original, intermediate rate]: sox low-passes at 95 % of the intermediate Nyquist, then upsamples.
  const cases = [
    [VCTK, 16000],
    [LIBRITTS, 8000],
    [LJ, 8000],
    [LJ, 16000],
  ] as const;
  it.each(cases.map(([f, mid]) => [basename(f), mid, f] as const))(
    '%s through %i Hz is flagged',
    async (_name, mid, original) => {
      const rate = (await decode(original)).sampleRate;
      const file = join(dir, `${basename(original, '.wav')}-${mid}.wav`);
      sox([original, file, 'rate', String(mid), 'rate', String(rate)]);
      const r = measure(await decode(file));
      const hz = r.metrics['bandwidth.effective_hz'];
      expect(hz).toBeGreaterThan(0.9 * (mid / 2));
      expect(hz).toBeLessThanOrEqual(mid / 2);
      expect(r.metrics['bandwidth.ratio']).toBeCloseTo(hz / (rate / 2), 9);
      const finding = r.findings.find((f) => f.code === 'bandwidth.upsampled');
      expect(finding?.message).toContain(`upsampled from ${mid / 1000} kHz?`);
    },
  );

  it.each([VCTK, LIBRITTS, LJ].map((f) => [basename(f), f]))(
    'the original %s is not flagged',
    async (_name, original) => {
      const r = measure(await decode(original));
      expect(r.findings).toEqual([]);
      expect(r.metrics['bandwidth.ratio']).toBeGreaterThan(0.9);
    },
  );
});

describe('bandwidth on every real sample', () => {
  const hasDecoder = (f: string) => codecs.some((c) => c.extensions.includes(extname(f).toLowerCase()));
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.(wav|flac|opus)$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  // LibriTTS 8463_294825_000043_000000 really is band-limited (see below); every other real clip is full-band.
  const BAND_LIMITED = '8463_294825_000043_000000.wav';

  for (const file of files(REAL)) {
    const name =
      relative(REAL, file) + (hasDecoder(file) ? '' : ` (SKIPPED: no ${extname(file)} decoder registered yet)`);
    it.skipIf(!hasDecoder(file))(name, async () => {
      const r = measure(await decode(file));
      expect(r.metrics['bandwidth.effective_hz']).toBeGreaterThan(0);
      expect(r.findings.map((f) => f.code)).toEqual(basename(file) === BAND_LIMITED ? ['bandwidth.upsampled'] : []);
    });
  }

  it('the flagged LibriTTS clip has nothing above 8 kHz, by sox', () => {
    const file = join(REAL, 'libritts', 'test-clean', '8463', '294825', `${BAND_LIMITED}`);
    // 6–7.4 kHz holds speech; above 8.2 kHz only 16-bit quantisation noise (≈ −96 dBFS) is left.
    expect(bandRmsDb(file, '6000-7400')).toBeGreaterThan(-60);
    expect(bandRmsDb(file, '8200')).toBeLessThan(-90);
    // A clip that slopes away gently instead (VCTK p376, ratio ≈ 0.53 at 50 dB) has real content up high.
    expect(bandRmsDb(join(REAL, 'vctk-0.80', 'wav48', 'p376', 'p376_193.wav'), '16000')).toBeGreaterThan(-85);
  });

  it('a gently sloping spectrum is not taken for upsampling', async () => {
    const r = measure(await decode(join(REAL, 'vctk-0.80', 'wav48', 'p376', 'p376_193.wav')));
    expect(r.metrics['bandwidth.ratio']).toBeLessThan(config.minRatio);
    expect(r.findings).toEqual([]);
  });
});

describe('bandwidth helpers', () => {
  it('guesses the source rate nearest to twice the bandwidth, below the declared rate', () => {
    expect(likelySourceRate(7900, 48000)).toBe(16000);
    expect(likelySourceRate(3850, 24000)).toBe(8000);
    expect(likelySourceRate(5300, 22050)).toBe(11025);
    expect(likelySourceRate(10500, 48000)).toBe(22050);
    expect(likelySourceRate(3000, 8000)).toBeUndefined();
  });

  it('reports nothing for digital silence, and nothing on a clean clip run with every analyzer', async () => {
    const silent: DecodedAudio = {
      samples: new Float32Array(22050),
      sampleRate: 22050,
      durationSec: 1,
      codec: 'pcm',
      channels: 1,
      bitDepth: 16,
    };
    expect(measure(silent)).toEqual({ metrics: {}, findings: [] });
    const r = analyze(await decode(LJ));
    expect(r.codes.filter((c) => c.startsWith('bandwidth.'))).toEqual([]);
  });
});
