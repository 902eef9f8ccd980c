// Prosody: how often the final contour is right on synthetic voices with known contours (test/helpers/
// prosody-cases.ts), beside the same contour finder fed by the tests' reference autocorrelation tracker (Boersma
// 1993) in the same run; then what the prosody analyzer costs as a share of the clip stage of a default audit
// (frame features and every clip analyzer, on the real clips). Decoding and the espeak-ng process are left out of
// that stage, so the share of a whole audit is smaller still.
// Run: nice -n 19 npx tsx scripts/bench-prosody.ts [rounds]

import { prosody } from '../src/analyzers/clip/prosody.js';
import { prosodyConfig } from '../src/analyzers/clip/prosody-config.js';
import { configSchema } from '../src/config/schema.js';
import { contourOf, finalMovement, voicedInSpeech, type Contour } from '../src/features/prosody.js';
import { analyseAudio } from '../src/pipeline/clip.js';
import type { Utterance } from '../src/types.js';
import { realClips } from './bench/real-clips.js';
import { clipContext, facts, withNoise } from '../test/helpers/audio.js';
import { referencePitch } from '../test/helpers/pitch-reference.js';
import { contourSet } from '../test/helpers/prosody-cases.js';

const rounds = Number(process.argv[2] ?? 5);
const CONFIG = prosodyConfig.parse(undefined);

// 1. Contour accuracy on the synthetic set, clean and with white noise added.
const cases = contourSet();
console.log(
  `${cases.length} synthetic voices (rise, fall, dip-rise, peak-fall of 2/4/8 st, flat; 110 and 210 Hz; with and without 0.3 st jitter)`,
);
for (const snr of [undefined, 20, 10]) {
  const score = { yin: 0, reference: 0 };
  const confusion: Record<string, number> = {};
  let changeError = 0;
  for (const c of cases) {
    const audio = snr === undefined ? c.audio : withNoise(c.audio, snr, 3);
    const ctx = clipContext(audio, CONFIG);
    const input = {
      pitch: ctx.features.pitch,
      rmsDb: ctx.features.rmsDb,
      hopSec: ctx.features.hopSec,
      isSpeech: ctx.speech.isSpeech,
    };
    const ours = finalMovement(input, voicedInSpeech(input, CONFIG.maxFromMedianSt), CONFIG);
    const ref = referencePitch(audio.samples, audio.sampleRate, ctx.features.pitch.frameSec);
    const pitch = { ...ctx.features.pitch, f0Hz: Float32Array.from(ref.f0Hz) };
    const theirs = finalMovement(
      { ...input, pitch },
      voicedInSpeech({ ...input, pitch }, CONFIG.maxFromMedianSt),
      CONFIG,
    );
    const kind = (m: typeof ours): Contour | 'none' => (m ? contourOf(m.changeSt, m.slope, CONFIG) : 'none');
    if (kind(ours) === c.expected) score.yin++;
    if (kind(theirs) === c.expected) score.reference++;
    const key = `${c.expected}→${kind(ours)}`;
    confusion[key] = (confusion[key] ?? 0) + 1;
    changeError += Math.abs((ours?.changeSt ?? 0) - c.changeSt);
  }
  const pct = (n: number) => `${((100 * n) / cases.length).toFixed(1)} %`;
  console.log(
    `${snr === undefined ? 'clean' : `SNR ${snr} dB`}: final contour right ${score.yin}/${cases.length} (${pct(score.yin)}) from the YIN track, ${score.reference}/${cases.length} (${pct(score.reference)}) from the reference tracker; mean |change error| ${(changeError / cases.length).toFixed(2)} st; ${Object.entries(
      confusion,
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
}

// 2. CPU: the prosody analyzer against the clip stage of a default audit, on the real clips.
const clips = await realClips();
const audioSec = clips.reduce((s, a) => s + a.durationSec, 0);
const config = configSchema.parse({});
const env = {
  config,
  facts: facts({ name: 'bench', language: 'en', expectsNormalizedText: false }),
  tools: {},
  readRoots: [],
};
const utterance = (i: number): Utterance => ({
  id: `c${i}`,
  text: 'Is this a question?',
  audio: { kind: 'file', path: `c${i}.wav`, relPath: `c${i}.wav` },
  origin: { file: 'metadata.csv', line: i + 1 },
});
const contexts = clips.map((a) => clipContext(a, CONFIG));

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
function once(work: () => void): number {
  const start = cpu();
  work();
  return cpu() - start;
}
const stage = () => clips.forEach((a, i) => analyseAudio(utterance(i), a, env));
const ours = () => contexts.forEach((ctx) => prosody.analyze(ctx));
stage();
ours();
// Alternate the two, pair by pair, and take the median ratio: the machine is shared and its speed swings.
const ratios: number[] = [];
let stageSec = 0;
let oursSec = 0;
for (let r = 0; r < rounds; r++) {
  const a = once(stage);
  let b = 0;
  for (let k = 0; k < 20; k++) b += once(ours);
  b /= 20;
  stageSec += a;
  oursSec += b;
  ratios.push(b / a);
}
ratios.sort((x, y) => x - y);
console.log(`${clips.length} real clips, ${audioSec.toFixed(1)} s of audio, ${rounds} rounds`);
console.log(
  `clip stage (features + every clip analyzer): ${((1000 * stageSec) / rounds).toFixed(1)} ms CPU, ${(audioSec / (stageSec / rounds)).toFixed(0)}× real time`,
);
console.log(
  `prosody analyzer: ${((1000 * oursSec) / rounds).toFixed(2)} ms CPU, ${(audioSec / (oursSec / rounds)).toFixed(0)}× real time`,
);
console.log(
  `prosody share of the clip stage: median ${(100 * ratios[rounds >> 1]).toFixed(2)} % over ${rounds} pairs (aim: under 5 %)`,
);
