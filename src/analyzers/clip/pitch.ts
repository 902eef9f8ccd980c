import { quantile, round } from '../../util/stats.js';
import { defineClipAnalyzer, type ClipAnalysis, type FindingDraft } from '../types.js';
import { voicedFrames } from './voice-signature.js';
import type { PitchConfig } from './pitch-config.js';

/** A corpus's gender label as `m`/`f`, or undefined when it says neither (or nothing). */
export function genderOf(label: string | undefined): 'm' | 'f' | undefined {
  const g = label?.trim().toLowerCase();
  if (g === 'm' || g === 'male' || g === 'man') return 'm';
  if (g === 'f' || g === 'female' || g === 'woman') return 'f';
  return undefined;
}

/** How a median F0 contradicts a label, or undefined when it does not. */
export function genderContradiction(
  gender: 'm' | 'f' | undefined,
  medianHz: number,
  c: { maleMaxHz: number; femaleMinHz: number },
): { threshold: number; sounds: string } | undefined {
  if (gender === 'm' && medianHz > c.maleMaxHz) return { threshold: c.maleMaxHz, sounds: 'female' };
  if (gender === 'f' && medianHz < c.femaleMinHz) return { threshold: c.femaleMinHz, sounds: 'male' };
  return undefined;
}

export const pitch = defineClipAnalyzer<PitchConfig>({
  name: 'pitch',
  description: "F0 (YIN) over the clip's voiced speech frames, and whether it contradicts the speaker's gender label.",
  metrics: {
    'pitch.median_hz': 'median F0 of the voiced speech frames (Hz)',
    'pitch.p5_hz': '5th percentile of F0 over the voiced speech frames (Hz)',
    'pitch.p95_hz': '95th percentile of F0 over the voiced speech frames (Hz)',
    'pitch.voiced_fraction': 'share (0–1) of the speech frames that are voiced (20 ms pitch frames)',
  },
  findings: {
    'pitch.gender_mismatch': {
      severity: 'warning',
      description:
        "median F0 contradicts the speaker's gender label (above `maleMaxHz` for a male, below `femaleMinHz` for a female): another voice, or a wrong label",
    },
  },
  analyze({ utterance, features, speech, config: c }): ClipAnalysis {
    const track = features.pitch;
    let speechFrames = 0;
    for (let p = 0; p < track.f0Hz.length; p++) speechFrames += speech.isSpeech[p * track.stride];
    const voiced = voicedFrames(features, speech);
    if (voiced.length === 0) {
      return { metrics: speechFrames > 0 ? { 'pitch.voiced_fraction': 0 } : {}, findings: [] };
    }
    // A loop, not Float64Array.from with an arrow: see features/prosody.ts on arrows made per call.
    const hz = new Float64Array(voiced.length);
    for (let i = 0; i < hz.length; i++) hz[i] = track.f0Hz[voiced[i]];
    hz.sort();
    const median = quantile(hz, 50);
    const metrics = {
      'pitch.median_hz': median,
      'pitch.p5_hz': quantile(hz, 5),
      'pitch.p95_hz': quantile(hz, 95),
      'pitch.voiced_fraction': voiced.length / Math.max(1, speechFrames),
    };
    const findings: FindingDraft[] = [];
    const contradiction =
      voiced.length * track.frameSec >= c.minVoicedSec
        ? genderContradiction(genderOf(utterance.gender), median, c)
        : undefined;
    if (contradiction) {
      const speaker = utterance.speaker ? `speaker ${utterance.speaker}` : 'the speaker';
      findings.push({
        code: 'pitch.gender_mismatch',
        message: `median F0 ${round(median, 0)} Hz sounds ${contradiction.sounds}, but ${speaker} is labelled ${utterance.gender} (limit ${contradiction.threshold} Hz)`,
        value: median,
        threshold: contradiction.threshold,
        unit: 'Hz',
        metric: 'pitch.median_hz',
      });
    }
    return { metrics, findings };
  },
});
