import { counted } from '../../util/plural.js';
import type { ClipResult } from '../../types.js';
import { joinByLine, openKeyedSpill, type KeyedSpill } from '../../util/keyed-spill.js';
import { openSpill, type Spill } from '../../util/spill.js';
import { percentileRank, round, sortedFinite } from '../../util/stats.js';
import { genderContradiction, genderOf } from '../clip/pitch.js';
import { decodeSignature } from '../clip/voice-signature.js';
import { defineDatasetAnalyzer, type ClipFindingDraft } from '../types.js';
import {
  leaveOneOutDistances,
  newRows,
  pitchGroups,
  pushRow,
  signatureDistances,
  speakerPitch,
  type SpeakerRows,
} from './voices-speaker.js';
import { voicesConfig as config, voicesSummary as summary, type VoicesSummary as Summary } from './voices-schema.js';

// Voices that do not belong to their speaker id, judged per speaker once every clip is read: a clip whose voice
// signature is far from the rest of its speaker's, a speaker whose clips split into two pitch groups, a speaker
// whose pitch contradicts its gender label. A clip's row is 50 bytes (14 signature figures as Int16s, its pitch
// figures, its length), ≈ 100 with the typed arrays' room to grow (measured over 300,000 clips of 2,000 speakers);
// its id and origin go to a spill file read once at the end, as in speaker-outliers.ts. The findings go to disk too,
// keyed by the clip's ordinal, and come back in clip order beside the ids: a speaker labelled with the wrong gender
// flags every one of its clips, a million findings that must not become a million objects.

/** A finding as spilled: complete, or a clip unlike its speaker, whose percentile is known only once all are scored. */
type Spilled = Omit<ClipFindingDraft, 'clipId' | 'origin'> | { unlike: [number, string, number, boolean] };

const CLIP_VOICE_CODES = new Set(['pitch.gender_mismatch', 'voice.two_voices']);

export const voices = defineDatasetAnalyzer({
  name: 'voices',
  description:
    'Per speaker: F0 range, clips whose voice is unlike the rest of the speaker’s, two pitch groups under one id, and pitch against the gender label.',
  config,
  findings: {
    'voices.unlike_speaker': {
      severity: 'warning',
      description:
        "voice signature (F0 and cepstrum statistics) further than `maxDistance` from its speaker's centre (`maxDistanceSmall` from its other clips, for speakers of 5–7 clips): another voice under this id, or a very different recording",
    },
    'voices.pitch_group': {
      severity: 'warning',
      description:
        'the clip belongs to the smaller of two pitch groups within its speaker (medians `minGroupGapSemitones` apart): two voices under one id',
    },
    'voices.speaker_gender': {
      severity: 'warning',
      description: "the speaker's median F0 contradicts its gender label: a wrong label, or the wrong voice",
    },
  },
  summary,
  create(c) {
    const bySpeaker = new Map<string, SpeakerRows>();
    const genders = new Map<string, string>();
    let spill: Spill | undefined;
    let found: KeyedSpill | undefined;
    let totalSec = 0;
    return {
      add(clip: ClipResult) {
        const medianHz = clip.metrics['pitch.median_hz'];
        if (!(medianHz > 0)) return;
        const speaker = clip.speaker ?? '(unknown)';
        if (clip.gender && !genders.has(speaker)) genders.set(speaker, clip.gender);
        let rows = bySpeaker.get(speaker);
        if (!rows) bySpeaker.set(speaker, (rows = newRows()));
        const seconds = clip.metrics['signal.duration_sec'] ?? 0;
        totalSec += seconds;
        pushRow(rows, {
          ordinal: (spill ??= openSpill('voices')).append(JSON.stringify([clip.id, clip.origin])),
          medianHz,
          p5Hz: clip.metrics['pitch.p5_hz'] ?? 0,
          p95Hz: clip.metrics['pitch.p95_hz'] ?? 0,
          seconds,
          flagged: clip.findings.some((f) => CLIP_VOICE_CODES.has(f.code)),
          signature: decodeSignature(clip.annotations?.['voice.signature']),
        });
      },
      close() {
        spill?.close();
        found?.close();
      },
      finish() {
        const out = (found ??= openKeyedSpill('voices-found'));
        const put = (ordinal: number, f: Spilled) => out.append(ordinal, JSON.stringify(f));
        const allDistances: number[] = [];
        const smallDistances: number[] = [];
        const perSpeaker: Summary['perSpeaker'] = {};
        let speakersScored = 0;
        let speakersTooSmall = 0;
        let clips = 0;
        let affectedSec = 0;
        for (const [speaker, rows] of bySpeaker) {
          clips += rows.n;
          const flagged = rows.flagged.slice(0, rows.n);
          const issues: string[] = [];
          const range = speakerPitch(rows);
          const label = genders.get(speaker);
          const contradiction = genderContradiction(genderOf(label), range.medianHz, c);
          if (contradiction) {
            const message = `speaker ${speaker} is labelled ${label} but its median F0 over ${rows.n} clips is ${round(range.medianHz, 0)} Hz, which sounds ${contradiction.sounds} (limit ${contradiction.threshold} Hz)`;
            issues.push(message);
            for (let i = 0; i < rows.n; i++) {
              flagged[i] = 1;
              put(rows.ordinals[i], {
                code: 'voices.speaker_gender',
                message,
                value: range.medianHz,
                unit: 'Hz',
                threshold: contradiction.threshold,
              });
            }
          }
          const groups = pitchGroups(rows, c.minGroupGapSemitones, c.minGroupShare);
          if (groups) {
            const message = `${groups.minority.length} of speaker ${speaker}'s ${rows.n} clips speak around ${round(groups.minorityHz, 0)} Hz, the rest around ${round(groups.majorityHz, 0)} Hz (${round(groups.semitones, 1)} semitones apart, limit ${c.minGroupGapSemitones}): two voices under one id`;
            issues.push(message);
            for (const i of groups.minority) {
              flagged[i] = 1;
              put(rows.ordinals[i], {
                code: 'voices.pitch_group',
                message,
                value: groups.semitones,
                threshold: c.minGroupGapSemitones,
                unit: 'semitones',
              });
            }
          }
          const comparison =
            rows.n >= c.fullClipsPerSpeaker
              ? 'all clips'
              : rows.n >= c.minClipsPerSpeaker
                ? 'leave one out'
                : 'too few clips';
          if (comparison === 'too few clips') speakersTooSmall += 1;
          else {
            speakersScored += 1;
            const small = comparison === 'leave one out';
            const d = small ? leaveOneOutDistances(rows, c.minSpreadSmall) : signatureDistances(rows, c.minSpread);
            const limit = small ? c.maxDistanceSmall : c.maxDistance;
            d.forEach((distance, i) => {
              if (!Number.isFinite(distance)) return;
              (small ? smallDistances : allDistances).push(distance);
              if (distance > limit) {
                flagged[i] = 1;
                put(rows.ordinals[i], { unlike: [distance, speaker, limit, small] });
              }
            });
          }
          let flaggedClips = 0;
          for (let i = 0; i < rows.n; i++) {
            if (!flagged[i]) continue;
            flaggedClips += 1;
            affectedSec += rows.seconds[i];
          }
          if (flaggedClips > 0 && issues.length === 0)
            issues.push(`${counted(flaggedClips, 'clip')} with a voice finding`);
          perSpeaker[speaker] = {
            clips: rows.n,
            ...(label ? { gender: label } : {}),
            ...range,
            comparison,
            flaggedClips,
            issues,
          };
        }
        const sorted = sortedFinite(allDistances);
        const sortedSmall = sortedFinite(smallDistances);
        const unlike = ([distance, speaker, limit, small]: [number, string, number, boolean]) => {
          const percentile = percentileRank(small ? sortedSmall : sorted, distance);
          const from = small ? "the speaker's other clips" : "the speaker's centre";
          return {
            code: 'voices.unlike_speaker',
            message: `voice unlike the rest of speaker ${speaker}'s clips: distance ${round(distance, 2)} from ${from} (limit ${limit}; ${round(percentile, 1)}th percentile of the clips so compared)`,
            value: distance,
            threshold: limit,
          };
        };
        const clipFindings = resolve(spill, out, (f) => ('unlike' in f ? unlike(f.unlike) : f));
        return {
          summary: {
            speakersScored,
            speakersTooSmall,
            clipsWithPitch: clips,
            hoursAffected: affectedSec / 3600,
            shareOfHoursAffected: totalSec > 0 ? affectedSec / totalSec : 0,
            perSpeaker,
          },
          clipFindings,
        };
      },
    };
  },
});

/** Reads the ids' spill once beside the findings, both in clip order, and joins them. */
function* resolve(
  spill: Spill | undefined,
  found: KeyedSpill,
  draft: (f: Spilled) => Omit<ClipFindingDraft, 'clipId' | 'origin'>,
): Generator<ClipFindingDraft> {
  if (!spill || found.count === 0) return;
  for (const [row, lines] of joinByLine(spill, found)) {
    const [clipId, origin] = JSON.parse(row) as [string, ClipFindingDraft['origin']];
    for (const l of lines) yield { ...draft(JSON.parse(l) as Spilled), clipId, origin };
  }
}
