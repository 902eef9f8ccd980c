// Transcript–audio agreement in the manner of aeneas: synthesize the transcript with espeak-ng, compare MFCCs of
// both by DTW, and score how well (and how much of) the recording follows the reading. No model, no GPU.
//
// Choices made on scripts/bench-alignment.ts (25 real clips, 120 mismatched pairs; ROC AUC while developing):
// - both sides' edges are cut where frames fall 20 dB below the side's own speech level (p95): the silence
//   analyzer keeps anything 6 dB above the noise floor, which in VCTK 0.80 p376_193 is 3 s of room noise that
//   a DTW pinned at both ends must stretch the reading over (path cost alone: 0.948 → 0.955);
// - every coefficient, c0 included, at zero mean and unit variance per side (CMVN), Euclidean distance: the
//   frames compare by spectral shape and loudness contour, not by microphone or espeak-ng's voice (aeneas' cosine
//   distance on c1…c12, here with the means removed: 0.926);
// - a 0.5 s band beat wider ones (0.948; 0.75 s: 0.931; 1 s: 0.913): a wide band lets a wrong transcript find a
//   cheap path;
// - an open-ended pass on 50 ms frames measures how much of each side the other covers: it catches truncated
//   audio and a missing or extra sentence, which barely move the mean path cost. Final: path cost 0.947,
//   coverage 0.924, score 0.970.

import { z } from 'zod';
import { dtw } from '../../dsp/dtw.js';
import { MFCC_DEFAULTS, mfcc, type Mfcc } from '../../dsp/mfcc.js';
import { quantile, round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { clipLanguage } from './phonemes.js';

const NOTHING: ClipAnalysis = { metrics: {}, findings: [] };

const config = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Align each transcript with its audio through an espeak-ng reading (aeneas’ method). Off by default (~40 ms of espeak-ng per clip); `--profile deep` turns it on. Needs espeak-ng (GPL: on PATH or `TTS_AUDIT_ESPEAK`, never bundled).',
      ),
    fallbackLanguage: z
      .string()
      .default('en')
      .describe('Language of clips whose transcript and source name none (ISO 639-1, or any espeak-ng voice).'),
    bandSec: z
      .number()
      .positive()
      .default(0.5)
      .describe(
        'Half-width of the Sakoe–Chiba band around the corner-to-corner path (s): how far the recording’s timing may stray from the reading’s. Wider lets a wrong transcript find a cheap path.',
      ),
    expectedDurationRatio: z
      .number()
      .positive()
      .default(1.15)
      .describe(
        'Typical speech duration of a recording over espeak-ng’s reading at 175 words/min (median of the benchmark’s true pairs: 1.13; 0.9–2.5 across its speakers).',
      ),
    durationTolerance: z
      .number()
      .min(1)
      .default(2)
      .describe(
        'A duration ratio within this factor of `expectedDurationRatio` is a speaker’s own pace and costs nothing; beyond it the score grows with |ln ratio|.',
      ),
    maxSpeechSec: z
      .number()
      .positive()
      .default(60)
      .describe(
        'Clips with more speech than this are not aligned: the coverage pass grows with the square of the length (~0.2 s of DTW at 60 s).',
      ),
    maxScore: z
      .number()
      .positive()
      .default(0.75)
      .describe(
        'Alignment score above which the transcript and the audio disagree (`alignment.mismatch`); true pairs in the benchmark score 0.61–0.71, 0.62–0.72 under 20 dB of pink noise.',
      ),
  })
  .prefault({});

type Config = z.output<typeof config>;

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
  c: Pick<Config, 'bandSec' | 'expectedDurationRatio' | 'durationTolerance'>,
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

export const alignment = defineClipAnalyzer({
  name: 'alignment',
  description:
    'Transcript–audio agreement without a model: DTW of the clip’s MFCCs against an espeak-ng reading of its transcript (opt-in).',
  config,
  metrics: {
    'alignment.path_cost':
      'mean distance of normalised MFCC frames along the best DTW path, over that of unrelated frames (0 identical, ≈1 unrelated)',
    'alignment.coverage':
      'share of the clip’s speech, or of the reading, that the other accounts for when the path may stop early (open end)',
    'alignment.duration_ratio':
      'clip speech duration over the synthesized reading’s (edges below speech level − 20 dB cut from both)',
    'alignment.score':
      'path cost + 0.1 · (1 − coverage) + 0.1 · |ln(duration ratio / `expectedDurationRatio`)| beyond `durationTolerance`; higher is worse',
  },
  findings: {
    'alignment.mismatch': {
      severity: 'warning',
      description:
        'alignment score above `maxScore`: the transcript does not match the audio (wrong, truncated, or a sentence missing or extra)',
    },
  },
  uses: (c) => (c.enabled ? ['espeak'] : []),
  async prepare({ utterance, config: c, source, tools: { espeak } }): Promise<Mfcc | undefined> {
    if (!c.enabled) return undefined;
    const language = clipLanguage(utterance, source, c.fallbackLanguage);
    if (!espeak?.voiceFor(language)) return undefined;
    const synth = await espeak.synthesize(utterance.normalizedText ?? utterance.text, language);
    return speechMfcc(synth.samples, synth.sampleRate);
  },
  analyze({ prepared, audio, speech, config: c }) {
    const { leadingSec: leading, speechSec } = speech;
    if (!prepared || !(speechSec > 0) || !(leading >= 0) || speechSec > c.maxSpeechSec) return NOTHING;
    const start = Math.round(leading * audio.sampleRate);
    const s = scoreAlignment(
      speechMfcc(audio.samples.subarray(start, start + Math.round(speechSec * audio.sampleRate)), audio.sampleRate),
      prepared,
      c,
    );
    if (!s) return NOTHING;
    const findings: FindingDraft[] = [];
    if (s.score > c.maxScore) {
      findings.push({
        code: 'alignment.mismatch',
        message: `alignment score ${round(s.score, 2)} (limit ${c.maxScore}): path cost ${round(s.pathCost, 2)}, ${Math.round(s.coverage * 100)} % covered, speech ${round(s.durationRatio, 2)}× the synthesized reading`,
        value: s.score,
        threshold: c.maxScore,
        metric: 'alignment.score',
      });
    }
    const metrics = {
      'alignment.path_cost': s.pathCost,
      'alignment.coverage': s.coverage,
      'alignment.duration_ratio': s.durationRatio,
      'alignment.score': s.score,
    };
    return { metrics, findings };
  },
});
