// Leading and trailing silence under noise, run by hand:
//   [TTS_AUDIT_PLUGINS=…] nice -n 19 npx tsx scripts/bench-silence.ts [--seeds 2] [--methods energy,old,spectral,silero,ffmpeg]
//     [--silence '{"spectralMinHz":400}'] (overrides of the `analyzers.silence` config)
// Real clips (LJSpeech, LibriTTS, VCTK 0.92 and 0.80, MLS) are padded with 0.5–1.2 s (seeded) of their own room tone
// (20 ms blocks of the clean clip outside its speech, shuffled and cross-faded: a real recording's floor, not digital
// zero, which the energy method leaves out of its levels), then white, pink or rumble noise (generated here, seeded)
// is mixed over the whole padded clip at 10, 15, 20 and 30 dB below the clean clip's mean power. Truth: the pad plus
// where speech starts and ends in the clean clip, from the table CLEAN_EDGES in scripts/bench/silence-cases.ts, read
// off spectrograms (`sox <clip> -n remix 1 rate 16k trim 0 0.6 spectrogram -x 600 -z 80` over the first and last
// 0.6 s, 1.5 s for VCTK and MLS, viewed as PNGs): the first and last frame of a word's energy (voicing, a fricative, a
// stop's release), not a click or the room tone after it. Prints, per noise type and SNR, the share of cases whose
// leading and trailing silence land within 0.1 s of the truth for: tts-audit's default without the plugin (`default`:
// speech-band RMS above 100 Hz), the default with Silero installed (`+silero`: Silero asked where the energy method is
// unsure, edges moved only outward), the old default (`relativeDb` 40), the opt-in `spectral` level, Silero alone, and
// ffmpeg silencedetect at two fixed thresholds; then the same per half of the clips (odd/even in the list):
// `vadEndLagSec` and the trailing edge's `tailFrames` rule were chosen on half A (scripts/silence-misses.ts prints its
// misses frame by frame); half B checks them. `BENCH_VERBOSE=<method>` lists its misses. Asserts nothing.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import wavefile from 'wavefile';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { findSpeech } from '../src/features/speech.js';
import { learnedOnlySpan, learnedSpan, wantsLearnedVad } from '../src/features/speech-learned.js';
import { openSilero, PLUGINS_ENV } from '../src/plugins/silero.js';
import { benchFiles, clipCases, NOISES, REAL, SNRS } from './bench/silence-cases.js';

const TOLERANCE_SEC = 0.1;
const TARGET = 0.95;
const FFMPEG_DB = [-50, -35];
const FFMPEG_MIN_SEC = 0.3;

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '2' },
    silence: { type: 'string', default: '{}' },
    methods: { type: 'string', default: 'energy,old,spectral,silero,ffmpeg' },
  },
});
const seeds = Number(args.seeds);
const wanted = new Set(args.methods.split(','));
const config = configSchema.parse({ analyzers: { silence: JSON.parse(args.silence) } }).analyzers.silence;
const spectralConfig = { ...config, levels: 'spectral' as const };
const oldConfig = { ...config, relativeDb: 40 };

/** Leading and trailing silence as ffmpeg silencedetect reports them (0 when no silence touches that end). */
function ffmpegEdges(file: string, db: number, duration: number): { leadingSec: number; trailingSec: number } {
  const filter = `silencedetect=n=${db}dB:d=${FFMPEG_MIN_SEC}`;
  const err = spawnSync('ffmpeg', ['-nostats', '-hide_banner', '-i', file, '-af', filter, '-f', 'null', '-'], {
    encoding: 'utf8',
  }).stderr;
  const starts = [...err.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Math.max(0, Number(m[1])));
  const ends = [...err.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  const lead = starts.length > 0 && starts[0] <= 0.01 ? (ends[0] ?? duration) : 0;
  const lastStart = starts.at(-1);
  const lastEnd = ends[starts.length - 1];
  const trail =
    lastStart !== undefined && (lastEnd === undefined || lastEnd >= duration - 0.02) ? duration - lastStart : 0;
  return { leadingSec: lead, trailingSec: trail };
}

type Tally = Map<string, { lead: number; trail: number; n: number }>;
const tally: Tally = new Map();
function count(key: string, leadOk: boolean, trailOk: boolean): void {
  const t = tally.get(key) ?? { lead: 0, trail: 0, n: 0 };
  t.lead += +leadOk;
  t.trail += +trailOk;
  t.n += 1;
  tally.set(key, t);
}

const silero = wanted.has('silero') ? await openSilero() : undefined;
const ffmpegDb = wanted.has('ffmpeg') ? FFMPEG_DB : [];
const methods = [
  'default',
  ...(silero ? ['+silero'] : []),
  ...(wanted.has('old') ? ['relativeDb 40'] : []),
  ...(wanted.has('spectral') ? ['spectral'] : []),
  ...(silero ? ['silero only'] : []),
  ...ffmpegDb.map((db) => `ffmpeg ${db} dB`),
];
const tmp = mkdtempSync(join(tmpdir(), 'bench-silence-'));
const files = benchFiles();
console.log(
  `${files.length} real clips × ${seeds} seeds × ${Object.keys(NOISES).length} noises × ${SNRS.length} SNRs; learned VAD: ${silero ? silero.version : `not installed (see src/plugins/silero.ts; ${PLUGINS_ENV})`}`,
);
let cpuEnergy = 0;
let cpuSilero = 0;
let audioSec = 0;
let asked = 0;
let cases = 0;
try {
  for (const [i, file] of files.entries()) {
    console.error(`${i + 1}/${files.length} ${file.slice(REAL.length + 1)}`);
    for await (const { name, half, kind, snr, audio, truthLead, truthTrail } of clipCases(file, i, seeds)) {
      const tallyOf = (method: string, span: { leadingSec: number; trailingSec: number }) => {
        const ok = [
          Math.abs(span.leadingSec - truthLead) <= TOLERANCE_SEC,
          Math.abs(span.trailingSec - truthTrail) <= TOLERANCE_SEC,
        ] as const;
        count(`${kind}|${snr}|${method}`, ...ok);
        count(`${half}|${kind}|${snr}|${method}`, ...ok);
        if (process.env.BENCH_VERBOSE && ok.includes(false) && method === process.env.BENCH_VERBOSE)
          console.error(
            `  ${name} ${kind} ${snr}: lead ${span.leadingSec.toFixed(2)}/${truthLead.toFixed(2)} trail ${span.trailingSec.toFixed(2)}/${truthTrail.toFixed(2)}`,
          );
      };
      const duration = audio.durationSec;
      const mixed = audio.samples;
      const rate = audio.sampleRate;
      audioSec += duration;
      cases += 1;
      let t0 = process.cpuUsage();
      const features = computeFeatures(audio);
      const energy = findSpeech(features, duration, config);
      let t1 = process.cpuUsage(t0);
      cpuEnergy += (t1.user + t1.system) / 1e6;
      tallyOf('default', energy);
      if (wanted.has('old')) tallyOf('relativeDb 40', findSpeech(features, duration, oldConfig));
      if (wanted.has('spectral')) tallyOf('spectral', findSpeech(features, duration, spectralConfig));
      if (silero) {
        t0 = process.cpuUsage();
        const frames = await silero.speechFrames(
          audio,
          features.hopSec,
          features.frameCount,
          config.vadThreshold,
          config.vadEndLagSec,
        );
        t1 = process.cpuUsage(t0);
        cpuSilero += (t1.user + t1.system) / 1e6;
        // Silero runs once per case: both spans read the same frames.
        const once = { speechFrames: async () => frames };
        tallyOf('silero only', await learnedOnlySpan(energy, audio, features, config, once));
        const ask = wantsLearnedVad(energy, config);
        asked += +ask;
        tallyOf('+silero', ask ? await learnedSpan(energy, audio, features, config, once) : energy);
      }
      if (ffmpegDb.length === 0) continue;
      const wav = new wavefile.WaveFile();
      wav.fromScratch(1, rate, '32f', mixed);
      const path = join(tmp, 'mixed.wav');
      writeFileSync(path, wav.toBuffer());
      for (const db of ffmpegDb) tallyOf(`ffmpeg ${db} dB`, ffmpegEdges(path, db, duration));
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  silero?.close();
}

const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(0)} %`.padStart(5);
const cell = (key: string) => {
  const t = tally.get(key)!;
  return `${pct(t.lead, t.n)} / ${pct(t.trail, t.n)}`.padStart(15);
};
const n = tally.get(`white|${SNRS[0]}|default`)!.n;
console.log(`\nshare within ${TOLERANCE_SEC} s of the truth, leading / trailing, ${n} cases per cell`);
console.log(['noise  SNR', ...methods.map((m) => m.padStart(15))].join(' | '));
const verdicts: string[] = [];
for (const kind of Object.keys(NOISES)) {
  for (const snr of SNRS) {
    const cells = methods.map((m) => {
      const t = tally.get(`${kind}|${snr}|${m}`)!;
      if (snr >= 15 && (m === 'default' || m === '+silero')) {
        const worst = Math.min(t.lead, t.trail) / t.n;
        if (worst < TARGET) verdicts.push(`${m} ${kind} ${snr} dB: ${pct(Math.min(t.lead, t.trail), t.n)} < 95 %`);
      }
      return cell(`${kind}|${snr}|${m}`);
    });
    console.log([`${kind.padEnd(6)} ${String(snr).padStart(3)}`, ...cells].join(' | '));
  }
}
const shown = methods.filter((m) => m === 'default' || m === '+silero');
console.log(`\nper half of the clips (A: 1st, 3rd, … in the list; B: 2nd, 4th, …)`);
console.log(['noise  SNR', ...['A', 'B'].flatMap((h) => shown.map((m) => `${h} ${m}`.padStart(15)))].join(' | '));
for (const kind of Object.keys(NOISES))
  for (const snr of SNRS.filter((x) => x >= 15))
    console.log(
      [
        `${kind.padEnd(6)} ${String(snr).padStart(3)}`,
        ...['A', 'B'].flatMap((h) => shown.map((m) => cell(`${h}|${kind}|${snr}|${m}`))),
      ].join(' | '),
    );
console.log(
  `\nCPU: default (features + span) ${(audioSec / cpuEnergy).toFixed(0)}× real time` +
    (silero
      ? `; silero ${(audioSec / cpuSilero).toFixed(0)}× real time, asked in ${asked} of ${cases} cases (${pct(asked, cases).trim()})`
      : ''),
);
console.log(
  verdicts.length === 0
    ? `verdict: the default${silero ? ' with and without Silero' : ''} meets ≥ 95 % within ${TOLERANCE_SEC} s at ≥ 15 dB, for every noise`
    : `verdict: BELOW the ≥ 95 % target:\n  ${verdicts.join('\n  ')}`,
);
