import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silenceSegments, speechFrames } from '../src/features/speech.js';
import { decodeFile } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { REAL } from './helpers/run.js';

// With a fixed threshold our silence segments must land within 50 ms of ffmpeg silencedetect's at
// the same level and minimum length, on every real WAV sample.
const MIN_SEC = 0.3;
const TOLERANCE = 0.05;
const files = ['ljspeech/wavs', 'vctk-0.80/wav48', 'libritts'].flatMap((d) =>
  readdirSync(join(REAL, d), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.wav'))
    .map((f) => join(REAL, d, f)),
);

type Segment = { start: number; end: number };

function silencedetect(path: string, db: number): Segment[] {
  const out = spawnSync(
    'ffmpeg',
    ['-nostats', '-hide_banner', '-i', path, '-af', `silencedetect=n=${db}dB:d=${MIN_SEC}`, '-f', 'null', '-'],
    { encoding: 'utf8' },
  ).stderr;
  const starts = [...out.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Math.max(0, Number(m[1])));
  const ends = [...out.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts.map((start, i) => ({ start, end: ends[i] }));
}

async function ours(path: string, db: number): Promise<Segment[]> {
  const { audio } = await decodeFile(path);
  const features = computeFeatures(audio);
  const config = configSchema.parse({ analyzers: { silence: { thresholdDbfs: db } } }).analyzers.silence;
  return silenceSegments(speechFrames(features, config).isSpeech, features.hopSec, audio.durationSec, MIN_SEC);
}

/** Every segment of `a` clearly longer than the minimum has a partner in `b` with both ends within tolerance. */
function unmatched(a: Segment[], b: Segment[]): Segment[] {
  return a
    .filter((s) => s.end - s.start >= MIN_SEC + TOLERANCE)
    .filter((s) => !b.some((t) => Math.abs(t.start - s.start) <= TOLERANCE && Math.abs(t.end - s.end) <= TOLERANCE));
}

describe('silence segments against ffmpeg silencedetect', () => {
  it('covers the real samples', () => expect(files.length).toBeGreaterThanOrEqual(18));

  for (const db of [-35, -40]) {
    it.each(files.map((f) => [relative(REAL, f), f]))(`n=${db}dB: %s`, async (_name, path) => {
      const reference = silencedetect(path, db);
      const mine = await ours(path, db);
      expect(unmatched(reference, mine), `ffmpeg ${JSON.stringify(reference)} vs ours ${JSON.stringify(mine)}`).toEqual(
        [],
      );
      expect(unmatched(mine, reference), `ours ${JSON.stringify(mine)} vs ffmpeg ${JSON.stringify(reference)}`).toEqual(
        [],
      );
    });
  }
});
