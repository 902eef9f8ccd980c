// The synth-and-DTW half of the alignment analyzer: MFCCs of the clip's speech and of espeak-ng's reading,
// compared along a banded DTW path and an open-ended coarse one (choices measured: see alignment.ts).

import { dtw } from '../../dsp/dtw.js';
import { MFCC_DEFAULTS, mfcc, type Mfcc } from '../../dsp/mfcc.js';
import { quantile } from '../../util/stats.js';

/** Frames further than this below a side's speech level (p95 of its frame levels) are cut from its edges. */
const EDGE_TRIM_DB = 20;
/** Frames averaged into one for the open-ended coverage pass (50 ms): 1/25 of the cells, so it runs unbanded. */
const COARSE_FRAMES = 5;
/** Weight of the uncovered fraction (1 − coverage) in the score. */
const COVERAGE_WEIGHT = 0.1;
/** Weight of |ln(duration ratio)| beyond the tolerance in the score. */
const DURATION_WEIGHT = 0.1;
/** Expected Euclidean distance between two unrelated frames of unit-variance coefficients, √(2·13): path costs are divided by it. */
const UNRELATED = Math.sqrt(2 * MFCC_DEFAULTS.coefficients);

/**
 * MFCCs of the speech in `samples`, edges below the speech level − EDGE_TRIM_DB cut. Computed at the clip's own
 * rate: the mel bands stop at 6.9 kHz, below every rate's Nyquist, so no resampling is needed to compare a 48 kHz
 * clip with espeak-ng's 22.05 kHz reading (resampling both had been half of this analyzer's time).
 */
export function speechMfcc(samples: Float32Array, sampleRate: number): Mfcc {
  const m = mfcc(samples, { ...MFCC_DEFAULTS, sampleRate });
  if (m.frames === 0) return m;
  const floor = quantile(Float32Array.from(m.levelDb).sort(), 95) - EDGE_TRIM_DB;
  let first = 0;
  let last = m.frames - 1;
  while (first < last && m.levelDb[first] < floor) first++;
  while (last > first && m.levelDb[last] < floor) last--;
  const k = m.coefficients;
  return {
    frames: last - first + 1,
    coefficients: k,
    data: m.data.subarray(first * k, (last + 1) * k),
    levelDb: m.levelDb.subarray(first, last + 1),
  };
}

/** Each coefficient at zero mean and unit variance over the clip (CMVN), optionally averaged over `group` frames. */
export function normalized(m: Mfcc, group = 1): { frames: number; data: Float32Array } {
  const k = m.coefficients;
  const frames = Math.floor(m.frames / group);
  const data = new Float32Array(frames * k);
  for (let c = 0; c < k; c++) {
    let mean = 0;
    for (let f = 0; f < m.frames; f++) mean += m.data[f * k + c];
    mean /= m.frames;
    let variance = 0;
    for (let f = 0; f < m.frames; f++) variance += (m.data[f * k + c] - mean) ** 2;
    const scale = 1 / Math.sqrt(variance / m.frames + 1e-9) / group;
    for (let f = 0; f < frames * group; f++) data[Math.floor(f / group) * k + c] += (m.data[f * k + c] - mean) * scale;
  }
  return { frames, data };
}

function euclidean(a: Float32Array, b: Float32Array, k: number) {
  return (i: number, j: number) => {
    let s = 0;
    for (let x = 0; x < k; x++) s += (a[i * k + x] - b[j * k + x]) ** 2;
    return Math.sqrt(s) / UNRELATED;
  };
}

export interface AlignmentScores {
  pathCost: number;
  coverage: number;
  durationRatio: number;
  score: number;
}

/** Aligns the clip's speech with the reading's (both from `speechMfcc`) and scores the match; higher is worse. */
export function scoreAlignment(
  clip: Mfcc,
  reading: Mfcc,
  c: { bandSec: number; expectedDurationRatio: number; durationTolerance: number },
): AlignmentScores | undefined {
  if (clip.frames < 2 * COARSE_FRAMES || reading.frames < 2 * COARSE_FRAMES) return undefined;
  const k = clip.coefficients;
  const [a, b] = [normalized(clip), normalized(reading)];
  const fine = dtw(a.frames, b.frames, Math.round(c.bandSec / MFCC_DEFAULTS.hopSec), euclidean(a.data, b.data, k));
  const [ca, cb] = [normalized(clip, COARSE_FRAMES), normalized(reading, COARSE_FRAMES)];
  const coarse = dtw(ca.frames, cb.frames, Math.max(ca.frames, cb.frames), euclidean(ca.data, cb.data, k));
  const coverage = Math.min(coarse.openEnd.coverageA, coarse.openEnd.coverageB);
  const durationRatio = clip.frames / reading.frames;
  const offPace = Math.max(
    0,
    Math.abs(Math.log(durationRatio / c.expectedDurationRatio)) - Math.log(c.durationTolerance),
  );
  const score = fine.pathCost + COVERAGE_WEIGHT * (1 - coverage) + DURATION_WEIGHT * offPace;
  return { pathCost: fine.pathCost, coverage, durationRatio, score };
}
