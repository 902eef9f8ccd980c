import { counted } from '../../util/plural.js';
import { round } from '../../util/stats.js';
import type { MetricStats } from '../../util/metric-stats.js';
import type { SpeakerGroup } from '../../util/speaker-groups.js';
import { genderContradiction, genderOf } from '../clip/pitch.js';
import { semitones } from '../clip/voice-signature.js';
import type { ClipFindingDraft } from '../types.js';
import type { VoicesConfig, VoicesSummary } from './voices-schema.js';
import {
  leaveOneOutDistances,
  pitchGroups,
  recordReader,
  rowsFrom,
  signatureDistance,
  signatureDistances,
  signatureScale,
  speakerPitch,
} from './voices-speaker.js';

// One speaker's judgement at the end of the run (voices.ts): its pitch against its gender label, two pitch groups,
// each clip's distance from the speaker's centre. A speaker of up to `exactUpTo` clips is judged on all its rows in
// memory; a larger one comes as a sample (util/speaker-groups.ts): the sample gives the pitch, the groups' boundary
// and the signature's centre and spread, and every clip is then judged against them as its record streams by.

/** A finding as spilled: complete, or a clip unlike its speaker, whose percentile is known only once all are scored. */
export type Spilled = Omit<ClipFindingDraft, 'clipId' | 'origin'> | { unlike: [number, string, number, boolean] };

export interface VoicesTotals {
  speakersScored: number;
  speakersTooSmall: number;
  affectedSec: number;
}

export function judgeSpeaker(
  g: SpeakerGroup,
  speaker: string,
  label: string | undefined,
  c: VoicesConfig,
  put: (ordinal: number, f: Spilled) => void,
  distances: MetricStats,
  totals: VoicesTotals,
): VoicesSummary['perSpeaker'][string] {
  const rows = rowsFrom(g.records, g.count);
  const read = recordReader();
  const issues: string[] = [];
  const range = speakerPitch(rows);
  const contradiction = genderContradiction(genderOf(label), range.medianHz, c);
  let gender: Spilled | undefined;
  if (contradiction) {
    const message = `speaker ${speaker} is labelled ${label} but its median F0 over ${g.total} clips is ${round(range.medianHz, 0)} Hz, which sounds ${contradiction.sounds} (limit ${contradiction.threshold} Hz)`;
    issues.push(message);
    gender = {
      code: 'voices.speaker_gender',
      message,
      value: range.medianHz,
      unit: 'Hz',
      threshold: contradiction.threshold,
    };
  }
  const groups = pitchGroups(rows, c.minGroupGapSemitones, c.minGroupShare);
  const minority = new Uint8Array(g.sampled ? 0 : rows.n);
  const inMinority = (hz: number) =>
    groups !== undefined && (groups.lowIsMinority ? semitones(hz) < groups.boundary : semitones(hz) > groups.boundary);
  let group: Spilled | undefined;
  if (groups) {
    let count = groups.minority.length;
    if (g.sampled) {
      count = 0;
      g.each((w, at) => void (inMinority(read.at(w, at).medianHz()) && count++));
    } else for (const i of groups.minority) minority[i] = 1;
    const message = `${count} of speaker ${speaker}'s ${g.total} clips speak around ${round(groups.minorityHz, 0)} Hz, the rest around ${round(groups.majorityHz, 0)} Hz (${round(groups.semitones, 1)} semitones apart, limit ${c.minGroupGapSemitones}): two voices under one id`;
    issues.push(message);
    group = {
      code: 'voices.pitch_group',
      message,
      value: groups.semitones,
      threshold: c.minGroupGapSemitones,
      unit: 'semitones',
    };
  }
  const comparison =
    g.total >= c.fullClipsPerSpeaker
      ? 'all clips'
      : g.total >= c.minClipsPerSpeaker
        ? 'leave one out'
        : 'too few clips';
  const scoring = comparison !== 'too few clips';
  const small = comparison === 'leave one out';
  if (scoring) totals.speakersScored += 1;
  else totals.speakersTooSmall += 1;
  const limit = small ? c.maxDistanceSmall : c.maxDistance;
  let flaggedClips = 0;
  const judge = (ordinal: number, seconds: number, flagged: boolean, grouped: boolean, distance: number) => {
    if (gender) put(ordinal, gender);
    if (grouped) put(ordinal, group!);
    let unlike = false;
    if (scoring && Number.isFinite(distance)) {
      distances.push(small ? { small: distance } : { all: distance });
      unlike = distance > limit;
      if (unlike) put(ordinal, { unlike: [distance, speaker, limit, small] });
    }
    if (!(flagged || gender || grouped || unlike)) return;
    flaggedClips += 1;
    totals.affectedSec += seconds;
  };
  if (!g.sampled) {
    const d = !scoring
      ? undefined
      : small
        ? leaveOneOutDistances(rows, c.minSpreadSmall)
        : signatureDistances(rows, c.minSpread);
    for (let i = 0; i < rows.n; i++)
      judge(rows.ordinals[i], rows.seconds[i], rows.flagged[i] === 1, minority[i] === 1, d ? d[i] : NaN);
  } else {
    const scale = signatureScale(rows, small ? c.minSpreadSmall : c.minSpread);
    g.each((w, at) => {
      const r = read.at(w, at);
      const distance = r.hasSignature() ? signatureDistance(r.figure, scale) : NaN;
      judge(r.ordinal(), r.seconds(), r.flagged(), inMinority(r.medianHz()), distance);
    });
  }
  if (flaggedClips > 0 && issues.length === 0) issues.push(`${counted(flaggedClips, 'clip')} with a voice finding`);
  return { clips: g.total, ...(label ? { gender: label } : {}), ...range, comparison, flaggedClips, issues };
}
