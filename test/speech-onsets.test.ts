import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, decode } from './helpers/audio.js';
import { REAL } from './helpers/run.js';

// Where speech starts in the real VCTK 0.80 clips (untrimmed, with rumble, clicks and breaths before the first
// word), read off spectrograms: `sox <clip> -n remix 1 rate 16k spectrogram -x 1200 -z 90` over the whole clip and
// `… trim 0 2 spectrogram -x 500` over its first two seconds, viewed as PNGs; p376_193 also zoomed to 2.9–3.7 s
// (`trim 2.9 0.8 -x 800`), where the voiced "The" rises at ≈ 3.40–3.42 s. The onset is the first frame of the first
// word's energy (a fricative's noise or a voicing bar), not the lip clicks or the inhalation before it.
const ONSETS: [clip: string, onsetSec: number, before: string][] = [
  ['p225/p225_003', 1.03, 'a faint murmur at 0.6–0.9 s; "Six" /s/ from 1.03 s'],
  ['p226/p226_003', 1.18, 'an inhalation at 0.6–1.05 s; "Six" /s/ from 1.18 s'],
  ['p230/p230_023', 2.22, 'a 30 ms click at 1.65 s, breath noise near 2.0 s; "If" at 2.22 s'],
  ['p238/p238_165', 0.89, 'a click at 0.36 s, an inhalation at 0.4–0.85 s; "The" at 0.89 s'],
  ['p255/p255_367', 1.13, 'a click at 0.62 s, an inhalation at 0.65–1.0 s; "Anything" at 1.13 s'],
  ['p301/p301_102', 1.29, 'a click at 0.77 s, an inhalation at 0.78–1.25 s; "I" at 1.29 s'],
  ['p314/p314_272', 1.28, 'rumble only; "That" at 1.28 s'],
  ['p376/p376_193', 3.41, '3.3 s of −42 dBFS rumble, lip clicks at 3.05 and 3.15 s; "The" at 3.41 s'],
];
const TOLERANCE_SEC = 0.15;

describe('speech onsets on real VCTK 0.80 clips, against spectrograms', () => {
  it.each(ONSETS)('%s starts at %f s (%s)', async (clip, onset) => {
    const audio = await decode(join(REAL, 'vctk-0.80', 'wav48', `${clip}.wav`));
    const { metrics } = analyze(audio);
    expect(Math.abs(metrics['silence.leading_sec'] - onset)).toBeLessThanOrEqual(TOLERANCE_SEC);
  });
});
