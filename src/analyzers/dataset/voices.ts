import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClipResult } from '../../types.js';
import { joinByLine, openKeyedSpill, type KeyedSpill } from '../../util/keyed-spill.js';
import { metricStats } from '../../util/metric-stats.js';
import { recordFile, type RecordFile } from '../../util/records.js';
import { speakerGroups } from '../../util/speaker-groups.js';
import { openSpill, spillPrefix, type Spill } from '../../util/spill.js';
import { round } from '../../util/stats.js';
import { decodeSignature } from '../clip/voice-signature.js';
import { defineDatasetAnalyzer, type ClipFindingDraft } from '../types.js';
import { judgeSpeaker, type Spilled } from './voices-judge.js';
import { RECORD_WIDTH, rowEncoder } from './voices-speaker.js';
import { voicesConfig as config, voicesSummary as summary, type VoicesSummary as Summary } from './voices-schema.js';

// Voices that do not belong to their speaker id, judged per speaker once every clip is read: a clip whose voice
// signature is far from the rest of its speaker's, a speaker whose clips split into two pitch groups, a speaker
// whose pitch contradicts its gender label. A clip's row is a 56-byte record on disk (its speaker's number, 14
// signature figures as Int16s, its pitch figures, its length; voices-speaker.ts), read back a part of whole speakers
// at a time at the end (util/speaker-groups.ts, voices-judge.ts): memory holds a count per speaker while the clips are
// folded, and at most `exactUpTo` rows of one speaker at the end. Its id and origin go to a spill file read once at
// the end, as in speaker-outliers.ts. The findings go to disk too,
// keyed by the clip's ordinal, and come back in clip order beside the ids: a speaker labelled with the wrong gender
// flags every one of its clips, a million findings that must not become a million objects.

/** Rows read into memory at once at the end, of whole speakers (56 bytes each, twice that while judged). */
const ROWS_PER_PART = 1 << 16;

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
    // In first-appearance order, as the report lists them; `index` is the speaker's number in the records.
    const bySpeaker = new Map<string, { index: number; n: number }>();
    const genders = new Map<string, string>();
    const encode = rowEncoder();
    let dir: string | undefined; // opened by the first clip with a pitch, with the files below
    let rows: RecordFile | undefined;
    let spill: Spill | undefined;
    let found: KeyedSpill | undefined;
    let totalSec = 0;
    return {
      add(clip: ClipResult) {
        const medianHz = clip.metrics['pitch.median_hz'];
        if (!(medianHz > 0)) return;
        const speaker = clip.speaker ?? '(unknown)';
        if (clip.gender && !genders.has(speaker)) genders.set(speaker, clip.gender);
        let g = bySpeaker.get(speaker);
        if (!g) bySpeaker.set(speaker, (g = { index: bySpeaker.size, n: 0 }));
        g.n += 1;
        const seconds = clip.metrics['signal.duration_sec'] ?? 0;
        totalSec += seconds;
        dir ??= mkdtempSync(join(tmpdir(), spillPrefix('voices')));
        rows ??= recordFile(join(dir, 'rows'), RECORD_WIDTH);
        const row = {
          ordinal: (spill ??= openSpill('voices')).append(JSON.stringify([clip.id, clip.origin])),
          medianHz,
          p5Hz: clip.metrics['pitch.p5_hz'] ?? 0,
          p95Hz: clip.metrics['pitch.p95_hz'] ?? 0,
          seconds,
          flagged: clip.findings.some((f) => CLIP_VOICE_CODES.has(f.code)),
          signature: decodeSignature(clip.annotations?.['voice.signature']),
        };
        rows.pushWords(encode(g.index, row));
      },
      close() {
        rows?.close();
        spill?.close();
        found?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
      finish() {
        const out = (found ??= openKeyedSpill('voices-found'));
        const put = (ordinal: number, f: Spilled) => out.append(ordinal, JSON.stringify(f));
        const distances = metricStats({ exactUpTo: c.exactUpTo });
        const names = [...bySpeaker.keys()];
        const counts = [...bySpeaker.values()].map((g) => g.n);
        const perSpeaker: Summary['perSpeaker'] = {};
        const totals = { speakersScored: 0, speakersTooSmall: 0, affectedSec: 0 };
        if (rows && dir) {
          const options = { dir, exactUpTo: c.exactUpTo, perPart: ROWS_PER_PART };
          speakerGroups(rows, counts, options, (g) => {
            const speaker = names[g.speaker];
            perSpeaker[speaker] = judgeSpeaker(g, speaker, genders.get(speaker), c, put, distances, totals);
          });
        }
        const ranks = { all: distances.get('all'), small: distances.get('small') };
        const unlike = ([distance, speaker, limit, small]: [number, string, number, boolean]) => {
          const percentile = (small ? ranks.small : ranks.all)?.rank(distance) ?? NaN;
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
            speakersScored: totals.speakersScored,
            speakersTooSmall: totals.speakersTooSmall,
            clipsWithPitch: counts.reduce((s, n) => s + n, 0),
            hoursAffected: totals.affectedSec / 3600,
            shareOfHoursAffected: totalSec > 0 ? totals.affectedSec / totalSec : 0,
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
