import { counted } from '../../util/plural.js';
import { z } from 'zod';
import type { ClipResult } from '../../types.js';
import { openSpill, type Spill } from '../../util/spill.js';
import { percentileRank, round, sortedFinite } from '../../util/stats.js';
import { genderContradiction, genderLimits, genderOf } from '../clip/pitch.js';
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

// Voices that do not belong to their speaker id, judged per speaker once every clip is read: a clip whose voice
// signature is far from the rest of its speaker's, a speaker whose clips split into two pitch groups, a speaker
// whose pitch contradicts its gender label. A clip's row is 50 bytes (14 signature figures as Int16s, its pitch
// figures, its length), ≈ 100 with the typed arrays' room to grow (measured over 300,000 clips of 2,000 speakers);
// its id and origin go to a spill file read once at the end, as in speaker-outliers.ts.

const config = z
  .strictObject({
    ...genderLimits,
    minClipsPerSpeaker: z
      .number()
      .int()
      .min(3)
      .default(5)
      .describe(
        "Speakers with fewer clips are not compared clip by clip: too few to tell a stranger from the speaker's own range (the report lists them).",
      ),
    fullClipsPerSpeaker: z
      .number()
      .int()
      .min(3)
      .default(8)
      .describe(
        "From this many clips a speaker's centre and spread are taken over all its clips (limit `maxDistance`); below it each clip is judged against its speaker's other clips (limit `maxDistanceSmall`).",
      ),
    maxDistance: z
      .number()
      .positive()
      .default(1.8)
      .describe(
        "A clip whose voice signature lies further than this from its speaker's centre (RMS of robust z over F0 median and spread and 12 cepstral means; ≈ 1 for a speaker's own clips: at most 1.16 over 19 LJSpeech pieces) sounds unlike the speaker.",
      ),
    maxDistanceSmall: z
      .number()
      .positive()
      .default(3.5)
      .describe(
        "The same limit for speakers under `fullClipsPerSpeaker` clips, on the distance from the speaker's other clips: wider, as five clips pin a centre loosely (every 5- and 6-clip subset of LJSpeech's 7 real clips stayed under 3.45; another real speaker filed among 4–6 of them was flagged in 75–87 % of cases: scripts/bench-voices.ts).",
      ),
    minSpreadSmall: z
      .number()
      .positive()
      .default(0.5)
      .describe('Floor of a signature figure’s spread for speakers under `fullClipsPerSpeaker` clips.'),
    minSpread: z
      .number()
      .positive()
      .default(0.1)
      .describe('Floor of a signature figure’s spread (1.4826·MAD), so a figure that barely varies cannot dominate.'),
    minGroupGapSemitones: z
      .number()
      .positive()
      .default(6)
      .describe(
        'Two pitch groups within a speaker whose medians lie this far apart (semitones; men and women ≈ 9 apart) are two voices under one id.',
      ),
    minGroupShare: z
      .number()
      .gt(0)
      .max(0.5)
      .default(0.1)
      .describe('The smaller pitch group must hold at least this share of the speaker’s clips (and two).'),
  })
  .prefault({});

const speakerSummary = z.object({
  clips: z.number().int(),
  gender: z.string().optional(),
  medianHz: z.number().describe('median of the clips’ median F0 (Hz)'),
  lowHz: z.number().describe('median of the clips’ 5th-percentile F0 (Hz)'),
  highHz: z.number().describe('median of the clips’ 95th-percentile F0 (Hz)'),
  comparison: z
    .enum(['all clips', 'leave one out', 'too few clips'])
    .describe(
      'how its clips were compared with each other: against the centre of all of them, each against the others (under `fullClipsPerSpeaker`), or not (under `minClipsPerSpeaker`)',
    ),
  flaggedClips: z
    .number()
    .int()
    .describe('clips with any voice finding (this analyzer’s or pitch/voice clip findings)'),
  issues: z.array(z.string()).describe('speaker-level findings, in words'),
});

const summary = z.object({
  speakersScored: z.number().int().describe(`speakers with enough clips to compare their clips with each other`),
  speakersTooSmall: z
    .number()
    .int()
    .describe(
      'speakers with pitch but under `minClipsPerSpeaker` clips: their clips were not compared with each other',
    ),
  clipsWithPitch: z.number().int(),
  hoursAffected: z.number().describe('hours of clips with any voice finding'),
  shareOfHoursAffected: z.number().describe('hoursAffected over the hours of clips with a pitch (0–1)'),
  perSpeaker: z.record(z.string(), speakerSummary),
});

type Summary = z.output<typeof summary>;

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
      close: () => spill?.close(),
      finish() {
        const drafts: (Omit<ClipFindingDraft, 'clipId'> & { ordinal: number })[] = [];
        const distances: { ordinal: number; distance: number; speaker: string; limit: number; small: boolean }[] = [];
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
              const value = range.medianHz;
              drafts.push({
                ordinal: rows.ordinals[i],
                code: 'voices.speaker_gender',
                message,
                value,
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
              drafts.push({
                ordinal: rows.ordinals[i],
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
                distances.push({ ordinal: rows.ordinals[i], distance, speaker, limit, small });
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
        for (const { ordinal, distance, speaker, limit, small } of distances) {
          const percentile = percentileRank(small ? sortedSmall : sorted, distance);
          const from = small ? "the speaker's other clips" : "the speaker's centre";
          drafts.push({
            ordinal,
            code: 'voices.unlike_speaker',
            message: `voice unlike the rest of speaker ${speaker}'s clips: distance ${round(distance, 2)} from ${from} (limit ${limit}; ${round(percentile, 1)}th percentile of the clips so compared)`,
            value: distance,
            threshold: limit,
          });
        }
        const clipFindings = resolve(spill, drafts);
        spill?.close();
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

/** Reads the spill once for the flagged clips' ids and origins. */
function resolve(spill: Spill | undefined, drafts: (Omit<ClipFindingDraft, 'clipId'> & { ordinal: number })[]) {
  const wanted = new Map<number, [string, ClipFindingDraft['origin']]>(drafts.map((d) => [d.ordinal, ['', undefined]]));
  if (spill && wanted.size > 0) {
    let ordinal = 0;
    for (const line of spill.lines()) {
      if (wanted.has(ordinal)) wanted.set(ordinal, JSON.parse(line) as [string, ClipFindingDraft['origin']]);
      ordinal += 1;
    }
  }
  return drafts.map(({ ordinal, ...d }): ClipFindingDraft => {
    const [clipId, origin] = wanted.get(ordinal)!;
    return { ...d, clipId, origin };
  });
}
