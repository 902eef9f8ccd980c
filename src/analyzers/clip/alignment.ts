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
//
// For English clips, when pocketsphinx is installed, a recognizer weighs in too (transcript-fit.ts): the
// transcript forced through the audio, and for a seeded share of clips a free decoding; one logistic combination
// with non-negative weights of its evidence, the speech's pace per transcript phone and the DTW score decides
// `alignment.mismatch`. scripts/bench-alignment.ts, 24 real English clips plus 20 true pairs from clips split at
// an aligned word boundary, weights refitted without each clip (so not in-sample): ROC AUC swapped transcripts
// 1.000 (DTW alone 0.991), audio cut by 30–40 % 0.958 (0.895), every other word dropped 0.995 (0.815), the
// second half dropped 1.000 (0.983); at the default limit 0 of 44 true pairs flagged, 0 of 24 under 20 dB pink
// noise. With free decoding on every pair (`--decode`, `weightsDecoded`: the WER weighs 2.23, the mean posterior
// came out at 0; the WER alone scores 0.896): all mismatches 0.992 (0.990 without), cut 0.967, every other word
// dropped 0.998, the second half 1.000, swapped 1.000; 0 of 44 and 0 of 24 noisy true pairs flagged. Where the
// transcript fits, the aligned first and last words check the suggested trims (alignment-trims.ts).

import type { Mfcc } from '../../dsp/mfcc.js';
import { hashString } from '../../text/hash.js';
import { round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { scoreAlignment, speechMfcc } from './alignment-dtw.js';
import type { AlignmentConfig } from './alignment-config.js';
import { checkTrims } from './alignment-trims.js';
import { clipLanguage } from './phonemes.js';
import {
  combinedFinding,
  dictionaryWords,
  fitFeatures,
  fitProbability,
  evidenceMetrics,
  recognizerEvidence,
  speechFramesPerPhone,
  type RecognizerEvidence,
} from './transcript-fit.js';

export { normalized, scoreAlignment, speechMfcc, type AlignmentScores } from './alignment-dtw.js';

const NOTHING: ClipAnalysis = { metrics: {}, findings: [] };

/** Whether the clip is in the seeded free-decoding sample: the same clips for the same seed, whatever the order. */
export const inDecodeSample = (id: string, share: number, seed: number) => hashString(id, seed) / 2 ** 32 < share;

/** The `decodeShare` that admits exactly `ids` (the ones of smallest seeded hash) to the sample: `--asr-sample`. */
export function decodeShareOf(ids: Iterable<string>, seed: number): number {
  let top = -1;
  for (const id of ids) top = Math.max(top, hashString(id, seed));
  return Math.min(1, (top + 0.5) / 2 ** 32);
}

export interface Prepared {
  reading?: Mfcc;
  evidence?: RecognizerEvidence;
}

const isEnglish = (language: string) => /^en(\b|[-_])/i.test(language);

export const alignment = defineClipAnalyzer<AlignmentConfig, Prepared>({
  name: 'alignment',
  description:
    'Transcript–audio agreement: DTW of the clip’s MFCCs against an espeak-ng reading of its transcript, and for English a recognizer’s forced alignment (pocketsphinx), combined (opt-in).',
  metrics: {
    'alignment.path_cost':
      'mean distance of normalised MFCC frames along the best DTW path, over that of unrelated frames (0 identical, ≈1 unrelated)',
    'alignment.coverage':
      'share of the clip’s speech, or of the reading, that the other accounts for when the path may stop early (open end)',
    'alignment.duration_ratio':
      'clip speech duration over the synthesized reading’s (edges below speech level − 20 dB cut from both)',
    'alignment.score':
      'path cost + 0.1 · (1 − coverage) + 0.1 · |ln(duration ratio / `expectedDurationRatio`)| beyond `durationTolerance`; higher is worse',
    'alignment.asr_known_share': 'share of transcript words in pocketsphinx’s dictionary (only those are aligned)',
    'alignment.asr_skipped': 'share of the transcript’s known words the forced alignment did not find in the audio',
    'alignment.asr_acoustic_cost': 'negated acoustic log-likelihood per 10 ms frame of the aligned words',
    'alignment.asr_squeezed': 'share of aligned words at (about) their shortest possible duration',
    'alignment.asr_filler_share':
      'share of the aligned span (first word to last) in fillers: pauses, or speech the transcript lacks',
    'alignment.asr_tail_skipped': 'share of the transcript’s known words after the last aligned one',
    'alignment.asr_frames_per_phone': '10 ms frames per phone of the aligned words',
    'alignment.asr_speech_frames_per_phone':
      '10 ms frames of the speech span per phone of the transcript’s known words: the pace the transcript implies',
    'alignment.asr_uncovered': 'share of the speech span outside the aligned words (1 when none was found)',
    'alignment.asr_onset_sec': 'start of the first aligned word (s): where the recognizer hears speech begin',
    'alignment.asr_offset_sec': 'end of the last aligned word (s)',
    'alignment.asr_onset_gap_sec':
      'aligned onset minus the speech span’s start (s): positive when the trim keeps noise',
    'alignment.asr_offset_gap_sec': 'speech span’s end minus the aligned offset (s)',
    'alignment.asr_wer': 'word error rate of pocketsphinx’s free decoding against the transcript (sampled clips)',
    'alignment.asr_posterior': 'mean posterior of the freely decoded words (sampled clips)',
    'alignment.trim_cut_start_sec':
      'aligned speech before the suggested trim’s start (s): what the trim would cut of the first word',
    'alignment.trim_cut_end_sec': 'aligned speech after the suggested trim’s end (s)',
    'alignment.fit_probability':
      'probability that the transcript does not fit, from the DTW score and the recognizer’s evidence (logistic weights)',
  },
  findings: {
    'alignment.mismatch': {
      severity: 'warning',
      description:
        'the transcript does not match the audio (wrong, truncated, or a sentence missing or extra): the combined probability above `recognizer.maxProbability` for English clips the recognizer heard, else the DTW score above `maxScore`',
    },
    'alignment.trim_cuts_speech': {
      severity: 'warning',
      description:
        'the suggested trim would cut more than `trimCheck.maxOutsideSec` of speech the recognizer aligned to the transcript’s first or last word (English clips whose transcript fits)',
    },
  },
  uses: (c) => (c.enabled ? (c.recognizer.enabled ? ['espeak', 'pocketsphinx'] : ['espeak']) : []),
  async prepare({ utterance, config: c, source, tools: { espeak, pocketsphinx }, audio }): Promise<Prepared> {
    if (!c.enabled) return {};
    const language = clipLanguage(utterance, source, c.fallbackLanguage);
    const text = utterance.normalizedText ?? utterance.text;
    const reading = async () => {
      if (!espeak?.voiceFor(language)) return undefined;
      const synth = await espeak.synthesize(text, language);
      return speechMfcc(synth.samples, synth.sampleRate);
    };
    const hear = async () => {
      if (!pocketsphinx || !c.recognizer.enabled || !isEnglish(language)) return undefined;
      const a = await audio;
      if (a.durationSec > c.maxSpeechSec) return undefined;
      const words = dictionaryWords(text);
      const r = c.recognizer;
      const [aligned, decoded] = await Promise.all([
        pocketsphinx.align(a.samples, a.sampleRate, words, r.beam),
        inDecodeSample(utterance.id, r.decodeShare, r.seed) ? pocketsphinx.decode(a.samples, a.sampleRate) : undefined,
      ]);
      return recognizerEvidence(words, pocketsphinx.phones, aligned, decoded);
    };
    const [r, e] = await Promise.all([reading(), hear()]);
    return { reading: r, evidence: e };
  },
  analyze({ prepared, audio, speech, trims, config: c }) {
    const { leadingSec: leading, speechSec } = speech;
    if (!prepared || !(speechSec > 0) || !(leading >= 0) || speechSec > c.maxSpeechSec) return NOTHING;
    const start = Math.round(leading * audio.sampleRate);
    const s = prepared.reading
      ? scoreAlignment(
          speechMfcc(audio.samples.subarray(start, start + Math.round(speechSec * audio.sampleRate)), audio.sampleRate),
          prepared.reading,
          c,
        )
      : undefined;
    const e = prepared.evidence;
    const metrics: Record<string, number> = {};
    if (s)
      Object.assign(metrics, {
        'alignment.path_cost': s.pathCost,
        'alignment.coverage': s.coverage,
        'alignment.duration_ratio': s.durationRatio,
        'alignment.score': s.score,
      });
    if (e) Object.assign(metrics, evidenceMetrics(e, leading, leading + speechSec));
    const findings: FindingDraft[] = [];
    if (s && e) {
      const w = e.wer === undefined ? c.recognizer.weights : c.recognizer.weightsDecoded;
      const pace = speechFramesPerPhone(e, speechSec);
      if (pace !== undefined) metrics['alignment.asr_speech_frames_per_phone'] = pace;
      const features = fitFeatures(e, s.score, metrics['alignment.asr_uncovered'], pace, c.recognizer.framesPerPhone);
      const p = fitProbability(w, features);
      metrics['alignment.fit_probability'] = p;
      if (p > c.recognizer.maxProbability) findings.push(combinedFinding(p, s, e, c.recognizer.maxProbability));
      else {
        // Word timings say where speech is only when the transcript fits.
        const checked = checkTrims(e, trims, c.trimCheck);
        Object.assign(metrics, checked.metrics);
        if (checked.finding) findings.push(checked.finding);
      }
    } else if (s && s.score > c.maxScore) {
      findings.push({
        code: 'alignment.mismatch',
        message: `alignment score ${round(s.score, 2)} (limit ${c.maxScore}): path cost ${round(s.pathCost, 2)}, ${Math.round(s.coverage * 100)} % covered, speech ${round(s.durationRatio, 2)}× the synthesized reading`,
        value: s.score,
        threshold: c.maxScore,
        metric: 'alignment.score',
      });
    }
    return { metrics, findings };
  },
});
