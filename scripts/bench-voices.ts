// Detection rates and false flags of the voice checks on the real clips and on cases built from them, printed
// as counts. Run with `nice -n 19 npx tsx scripts/bench-voices.ts`. The sample is small (25 clips of 12 real
// speakers): read the rates as what these cases show, not as a corpus-wide figure.

import type { ClipResult } from '../src/types.js';
import { clipResult, concatenate, foldVoices, pieces, realClips } from '../test/helpers/voice-cases.js';

const clips = await realClips();
const has = (r: ClipResult, code: string) => r.findings.some((f) => f.code === code);
const rate = (k: number, n: number) => `${k}/${n} (${n > 0 ? ((100 * k) / n).toFixed(0) : '–'} %)`;

// 1. Real clips under their own labels: every flag is a false one.
const own = clips.map((c) => clipResult(c.audio, c.id, c.speaker, c.gender));
const falseClip = own.filter((r) => has(r, 'pitch.gender_mismatch') || has(r, 'voice.two_voices')).length;
console.log(`real clips under their own labels, clip findings:        false flags ${rate(falseClip, own.length)}`);

// 2. Every clip filed under a speaker of the other gender.
const swapped = clips.map((c) => clipResult(c.audio, `${c.id}-swapped`, 'x', c.gender === 'M' ? 'F' : 'M'));
const genderHits = swapped.filter((r) => has(r, 'pitch.gender_mismatch')).length;
console.log(
  `clip under the other gender's label (pitch.gender_mismatch): detected ${rate(genderHits, swapped.length)}`,
);

// 3. Every ordered pair of clips of different speakers, spliced with 0.5 s of silence; a splice too short for two
// judged ends (0.5 s of voiced speech each, whole segments) is counted as missed.
const splices = { cross: { n: 0, hit: 0 }, same: { n: 0, hit: 0 } };
for (const a of clips) {
  for (const b of clips) {
    if (a.speaker === b.speaker) continue;
    const k = a.gender === b.gender ? splices.same : splices.cross;
    k.n += 1;
    if (has(clipResult(concatenate(a.audio, b.audio), 'pair', 'x'), 'voice.two_voices')) k.hit += 1;
  }
}
console.log(
  `two speakers spliced in one clip (voice.two_voices), other gender: detected ${rate(splices.cross.hit, splices.cross.n)}`,
);
console.log(
  `two speakers spliced in one clip (voice.two_voices), same gender:  detected ${rate(splices.same.hit, splices.same.n)}`,
);
const judged = own.filter((r) => r.metrics['voice.change_score'] !== undefined);
const worst = Math.max(...judged.map((r) => r.metrics['voice.change_score']));
console.log(
  `real clips long enough to judge two ends: ${judged.length}/${own.length}, highest change score ${worst.toFixed(2)}`,
);
// The negatives that matter for a splice: two clips of one speaker joined the same way (every ordered pair of a
// speaker's real clips, and of LJSpeech's 4 s pieces from different clips).
let sameSpeaker = 0;
let sameFalse = 0;
let sameWorst = 0;
const ljFours = clips
  .filter((c) => c.speaker === 'LJ')
  .flatMap((c) => pieces(c.audio, 4).map((a) => ({ ...c, audio: a })));
for (const set of [clips, ljFours]) {
  for (const a of set) {
    for (const b of set) {
      if (a.speaker !== b.speaker || a.id === b.id) continue;
      const r = clipResult(concatenate(a.audio, b.audio), 'pair', a.speaker, a.gender);
      sameSpeaker += 1;
      sameWorst = Math.max(sameWorst, r.metrics['voice.change_score'] ?? 0);
      if (has(r, 'voice.two_voices')) sameFalse += 1;
    }
  }
}
console.log(
  `one speaker's two clips spliced (voice.two_voices):             false flags ${rate(sameFalse, sameSpeaker)}, highest score ${sameWorst.toFixed(2)}`,
);

// 4. LJSpeech cut into 2.5 s pieces (one speaker, ≥ 8 clips), then one piece of each other speaker filed among them.
const lj = clips.filter((c) => c.speaker === 'LJ');
const ljPieces = lj.flatMap((c) => pieces(c.audio, 2.5).map((a, i) => clipResult(a, `${c.id}-${i}`, 'LJ', 'F')));
const baseline = foldVoices(ljPieces).clipFindings.length;
console.log(
  `LJSpeech's own ${ljPieces.length} pieces (voices dataset findings):         false flags ${rate(baseline, ljPieces.length)}`,
);
let strangers = 0;
let found = 0;
let collateral = 0;
for (const c of clips.filter((x) => x.speaker !== 'LJ')) {
  const piece = pieces(c.audio, 2.5).find((p) => p.durationSec > 1.5);
  if (!piece) continue;
  strangers += 1;
  const outcome = foldVoices([...ljPieces, clipResult(piece, 'stranger', 'LJ', 'F')]);
  if (outcome.clipFindings.some((f) => f.clipId === 'stranger' && f.code === 'voices.unlike_speaker')) found += 1;
  collateral += outcome.clipFindings.filter((f) => f.clipId !== 'stranger').length;
}
console.log(
  `another speaker's clip among LJSpeech's (voices.unlike_speaker): detected ${rate(found, strangers)}; LJ pieces flagged alongside: ${collateral}`,
);

// 5. One id holding two voices: LJSpeech pieces plus the pieces of each male speaker.
for (const male of ['p226', 'p255', 'p376']) {
  const theirs = clips
    .filter((c) => c.speaker === male)
    .flatMap((c) => pieces(c.audio, 2.5).map((a, i) => clipResult(a, `${c.id}-${i}`, 'LJ', 'F')));
  const outcome = foldVoices([...ljPieces, ...theirs]);
  const ids = new Set(theirs.map((r) => r.id));
  const hit = outcome.clipFindings.filter((f) => ids.has(f.clipId) && f.code === 'voices.pitch_group');
  const hitIds = new Set(hit.map((f) => f.clipId));
  const wrong = outcome.clipFindings.filter((f) => !ids.has(f.clipId)).length;
  console.log(
    `LJ id also holding ${male} (${theirs.length} pieces): pitch group flags ${rate(hitIds.size, theirs.length)} of them, ${wrong} LJ finding(s)`,
  );
}

// 6. Small speakers (5–7 clips, each clip against the others): every 5- and 6-clip subset of LJSpeech's real
// clips on its own, then 4–6 of them with one clip of each other real speaker filed among them.
const ljWhole = own.filter((r) => r.speaker === 'LJ');
const subsets = (n: number, from = 0): ClipResult[][] =>
  n === 0 ? [[]] : ljWhole.slice(from).flatMap((r, i) => subsets(n - 1, from + i + 1).map((rest) => [r, ...rest]));
for (const n of [5, 6, 7]) {
  const sets = subsets(n);
  const falseSets = sets.filter((s) => foldVoices(s).clipFindings.length > 0).length;
  let tries = 0;
  let hits = 0;
  let collateralSmall = 0;
  for (const s of subsets(n - 1)) {
    for (const stranger of own.filter((r) => r.speaker !== 'LJ')) {
      const outcome = foldVoices([...s, { ...stranger, speaker: 'LJ', gender: 'F' }]);
      tries += 1;
      if (outcome.clipFindings.some((f) => f.clipId === stranger.id && f.code === 'voices.unlike_speaker')) hits += 1;
      collateralSmall += outcome.clipFindings.some((f) => f.clipId !== stranger.id) ? 1 : 0;
    }
  }
  console.log(
    `speaker of ${n} clips: LJ subsets with a false flag ${rate(falseSets, sets.length)}; another speaker as the ${n}th clip (voices.unlike_speaker) detected ${rate(hits, tries)}, sets with an LJ clip flagged too ${collateralSmall}`,
  );
}
