import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signal } from '../src/analyzers/clip/signal.js';
import { decodeFile } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { clipContext } from './helpers/audio.js';
import { REAL, run, runAll } from './helpers/run.js';

// Every real WAV in test/fixtures/real: the basic figures must agree with sox and ffmpeg on the same file.
function wavs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? wavs(join(dir, e.name)) : e.name.endsWith('.wav') ? [join(dir, e.name)] : [],
  );
}

const files = wavs(REAL);
const config = configSchema.parse({}).analyzers.signal;

async function measure(path: string) {
  const { audio } = await decodeFile(path, relative(REAL, path));
  const { metrics } = signal.analyze(clipContext(audio, config));
  return { audio, metrics };
}

function soxStat(out: string, label: string): number {
  const m = new RegExp(`^${label}\\s+(-?[\\d.]+)`, 'm').exec(out);
  if (!m) throw new Error(`no "${label}" in sox stats output`);
  return Number(m[1]);
}

function astat(out: string, label: string): number {
  const m = new RegExp(`${label}: (-?[\\d.]+|-inf)`).exec(out);
  if (!m) throw new Error(`no "${label}" in ffmpeg astats output`);
  return Number(m[1]);
}

describe('signal figures against sox and ffmpeg on the real samples', () => {
  it('finds the real samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files.map((f) => [relative(REAL, f), f]))('%s', async (_name, path) => {
    const { audio, metrics } = await measure(path);
    // Duration: exact sample count and rate as soxi reads them from the same file.
    expect(audio.samples.length).toBe(Number(run('soxi', ['-s', path]).trim()));
    expect(audio.sampleRate).toBe(Number(run('soxi', ['-r', path]).trim()));
    expect(metrics['signal.duration_sec']).toBeCloseTo(audio.samples.length / audio.sampleRate, 9);

    const sox = runAll('sox', [path, '-n', 'stats']);
    expect(Math.abs(metrics['signal.peak_dbfs'] - soxStat(sox, 'Pk lev dB'))).toBeLessThanOrEqual(0.1);
    expect(Math.abs(metrics['signal.rms_dbfs'] - soxStat(sox, 'RMS lev dB'))).toBeLessThanOrEqual(0.1);
    expect(Math.abs(metrics['signal.dc_offset'] - soxStat(sox, 'DC offset'))).toBeLessThanOrEqual(1e-4);

    const ff = runAll('ffmpeg', [
      '-nostats',
      '-hide_banner',
      '-i',
      path,
      '-af',
      'astats=measure_perchannel=none',
      '-f',
      'null',
      '-',
    ]);
    expect(Math.abs(metrics['signal.peak_dbfs'] - astat(ff, 'Peak level dB'))).toBeLessThanOrEqual(0.1);
    expect(Math.abs(metrics['signal.rms_dbfs'] - astat(ff, 'RMS level dB'))).toBeLessThanOrEqual(0.1);
  });
});
