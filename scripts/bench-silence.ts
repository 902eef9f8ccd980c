// Leading and trailing silence under noise, run by hand:
//   nice -n 19 npx tsx scripts/bench-silence.ts [--seeds 2] [--methods energy,spectral,silero,ffmpeg]
//     [--silence '{"spectralMinHz":400}'] (overrides of the `analyzers.silence` config)
// Real clips (LJSpeech, LibriTTS, VCTK 0.92) are padded with known digital silence (0.5–1.2 s, seeded), then white,
// pink or rumble noise (generated here, seeded) is mixed over the whole padded clip at 10, 15, 20 and 30 dB below the
// clean clip's mean power. Truth: the pad plus where speech starts and ends in the clean clip, from the table
// CLEAN_EDGES below, read off spectrograms (`sox <clip> -n remix 1 rate 16k trim 0 0.6 spectrogram -x 600 -z 80`
// over the first and last 0.6 s, 1.2 s for VCTK, viewed as PNGs): the first and last frame of a word's energy
// (voicing, a fricative, a stop's release), not a click or the room tone after it. Prints, per noise type and SNR,
// the share of clips whose leading and trailing silence land within 0.1 s of the truth, for tts-audit's default
// method (`energy`: speech-band RMS above 100 Hz), its opt-in `spectral` one (`levels: 'spectral'`: mel bands each
// over its own noise), the learned VAD when it is installed, and ffmpeg silencedetect at two fixed thresholds.
// Asserts nothing.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import wavefile from 'wavefile';
import { decodeFile } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { findSpeech, learnedSpan } from '../src/features/speech.js';
import { openSilero, PLUGINS_ENV } from '../src/plugins/silero.js';
import type { DecodedAudio } from '../src/types.js';
import { pinkNoise, rumbleNoise, uniform, whiteNoise } from './bench/noise.js';

const REAL = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real');
const DIRS = ['ljspeech/wavs', 'libritts', 'vctk/wav48_silence_trimmed'];
const SNRS = [10, 15, 20, 30];
const TOLERANCE_SEC = 0.1;
const TARGET = 0.95;
const FFMPEG_DB = [-50, -35];
const FFMPEG_MIN_SEC = 0.3;

// Speech start and end (s) in each clean clip, checked by spectrogram (see above). The energy method on the clean clip
// agreed within 0.05 s except where noted; LJSpeech and LibriTTS clips start within 0.06 s of their first sample.
const CLEAN_EDGES: Record<string, [start: number, end: number]> = {
  'LJ001-0001': [0.02, 9.58],
  'LJ001-0002': [0.02, 1.85],
  'LJ001-0003': [0.04, 9.59],
  'LJ001-0004': [0.01, 5.03], // "book": the /k/ release ends at 5.03; a faint 1.1 kHz tone after it is not speech
  'LJ001-0005': [0.02, 8.04],
  'LJ001-0006': [0.01, 5.58],
  'LJ001-0007': [0.01, 8.31],
  '5639_40744_000000_000002': [0.04, 12.38],
  '8455_210777_000067_000000': [0.05, 2.94],
  '8463_294825_000043_000000': [0.06, 3.13], // creaky decay of the last vowel to 3.13
  p225_001_mic1: [0.29, 1.65],
  p225_002_mic1: [0.97, 3.34], // clicks at 0.33 and 0.42 s are not speech
  // "Please": breathy onset rising out of the hiss from 0.82 to 0.89 s (seen at -z 60 -Z -30), voicing at 1.0 s; the
  // energy method on the clean clip said 0.78. "Stella" fades out at 2.05 s.
  p226_001_mic1: [0.85, 2.05],
};

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '2' },
    silence: { type: 'string', default: '{}' },
    methods: { type: 'string', default: 'energy,spectral,silero,ffmpeg' },
  },
});
const seeds = Number(args.seeds);
const wanted = new Set(args.methods.split(','));
const config = configSchema.parse({ analyzers: { silence: JSON.parse(args.silence) } }).analyzers.silence;
const spectralConfig = { ...config, levels: 'spectral' as const };

function audioFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? audioFiles(join(dir, e.name)) : /\.(wav|flac)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const NOISES = {
  white: (n: number, seed: number) => whiteNoise(n, seed),
  pink: (n: number, seed: number) => pinkNoise(n, seed),
  rumble: (n: number, seed: number, rate: number) => rumbleNoise(n, seed, rate),
};

function meanPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / Math.max(1, x.length);
}

const asAudio = (samples: Float32Array, sampleRate: number): DecodedAudio => ({
  samples,
  sampleRate,
  channels: 1,
  bitDepth: 32,
  codec: 'pcm',
  durationSec: samples.length / sampleRate,
});

/** Leading and trailing silence as ffmpeg silencedetect reports them (0 when no silence touches that end). */
function ffmpegEdges(file: string, db: number, duration: number): { lead: number; trail: number } {
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
  return { lead, trail };
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
  'energy',
  ...(wanted.has('spectral') ? ['spectral'] : []),
  ...(silero ? ['silero'] : []),
  ...ffmpegDb.map((db) => `ffmpeg ${db} dB`),
];
const tmp = mkdtempSync(join(tmpdir(), 'bench-silence-'));
const files = DIRS.flatMap((d) => audioFiles(join(REAL, d))).filter((f) => !f.includes('_mic2'));
console.log(
  `${files.length} real clips × ${seeds} seeds × ${Object.keys(NOISES).length} noises × ${SNRS.length} SNRs; learned VAD: ${silero ? silero.version : `not installed (see src/plugins/silero.ts; ${PLUGINS_ENV})`}`,
);
let cpuEnergy = 0;
let cpuSilero = 0;
let audioSec = 0;
try {
  for (const [i, file] of files.entries()) {
    console.error(`${i + 1}/${files.length} ${file.slice(REAL.length + 1)}`);
    const { audio: clean } = await decodeFile(file);
    const rate = clean.sampleRate;
    const name = file
      .split('/')
      .pop()!
      .replace(/\.(wav|flac)$/, '');
    const edges = CLEAN_EDGES[name];
    if (!edges) throw new Error(`${name}: no checked speech edges in CLEAN_EDGES`);
    const power = meanPower(clean.samples);
    for (let seed = 1; seed <= seeds; seed++) {
      const u = uniform(1000 * i + seed);
      const padLead = 0.5 + 0.7 * u();
      const padTrail = 0.5 + 0.7 * u();
      const lead0 = Math.round(padLead * rate);
      const padded = new Float32Array(lead0 + clean.samples.length + Math.round(padTrail * rate));
      padded.set(clean.samples, lead0);
      const truthLead = lead0 / rate + edges[0];
      const duration = padded.length / rate;
      const truthTrail = duration - (lead0 / rate + edges[1]);
      for (const [kind, make] of Object.entries(NOISES)) {
        const noise = make(padded.length, 7919 * i + 31 * seed, rate);
        const noisePower = meanPower(noise);
        for (const snr of SNRS) {
          const gain = Math.sqrt(power / (noisePower * 10 ** (snr / 10)));
          const mixed = new Float32Array(padded.length);
          for (let k = 0; k < mixed.length; k++) mixed[k] = padded[k] + gain * noise[k];
          const ok = (lead: number, trail: number) =>
            [Math.abs(lead - truthLead) <= TOLERANCE_SEC, Math.abs(trail - truthTrail) <= TOLERANCE_SEC] as const;
          const audio = asAudio(mixed, rate);
          audioSec += duration;
          let t0 = process.cpuUsage();
          const features = computeFeatures(audio);
          const energy = findSpeech(features, duration, config);
          let t1 = process.cpuUsage(t0);
          cpuEnergy += (t1.user + t1.system) / 1e6;
          count(`${kind}|${snr}|energy`, ...ok(energy.leadingSec, energy.trailingSec));
          if (wanted.has('spectral')) {
            const spectral = findSpeech(features, duration, spectralConfig);
            count(`${kind}|${snr}|spectral`, ...ok(spectral.leadingSec, spectral.trailingSec));
          }
          if (process.env.BENCH_VERBOSE && ok(energy.leadingSec, energy.trailingSec).includes(false))
            console.error(
              `  ${file.split('/').pop()} ${kind} ${snr}: lead ${energy.leadingSec.toFixed(2)}/${truthLead.toFixed(2)} trail ${energy.trailingSec.toFixed(2)}/${truthTrail.toFixed(2)}`,
            );
          if (silero) {
            t0 = process.cpuUsage();
            const learned = await learnedSpan(energy, audio, features, config, silero);
            t1 = process.cpuUsage(t0);
            cpuSilero += (t1.user + t1.system) / 1e6;
            count(`${kind}|${snr}|silero`, ...ok(learned.leadingSec, learned.trailingSec));
          }
          if (ffmpegDb.length === 0) continue;
          const wav = new wavefile.WaveFile();
          wav.fromScratch(1, rate, '32f', mixed);
          const path = join(tmp, 'mixed.wav');
          writeFileSync(path, wav.toBuffer());
          for (const db of ffmpegDb) {
            const e = ffmpegEdges(path, db, duration);
            count(`${kind}|${snr}|ffmpeg ${db} dB`, ...ok(e.lead, e.trail));
          }
        }
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  silero?.close();
}

const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(0)} %`.padStart(6);
console.log(`\nshare within ${TOLERANCE_SEC} s of the truth: leading / trailing`);
console.log(['noise  SNR', ...methods.map((m) => m.padStart(17))].join(' | '));
const verdicts: string[] = [];
for (const kind of Object.keys(NOISES)) {
  for (const snr of SNRS) {
    const cells = methods.map((m) => {
      const t = tally.get(`${kind}|${snr}|${m}`)!;
      if (snr >= 15 && !m.startsWith('ffmpeg')) {
        const worst = Math.min(t.lead, t.trail) / t.n;
        if (worst < TARGET) verdicts.push(`${m} ${kind} ${snr} dB: ${pct(Math.min(t.lead, t.trail), t.n)} < 95 %`);
      }
      return `${pct(t.lead, t.n)} / ${pct(t.trail, t.n)}`.padStart(17);
    });
    console.log([`${kind.padEnd(6)} ${String(snr).padStart(3)}`, ...cells].join(' | '));
  }
}
console.log(
  `\nCPU: energy (features + span) ${(audioSec / cpuEnergy).toFixed(0)}× real time` +
    (silero ? `; silero ${(audioSec / cpuSilero).toFixed(0)}× real time` : ''),
);
console.log(
  verdicts.length === 0
    ? `verdict: every method measured here meets ≥ 95 % within ${TOLERANCE_SEC} s at ≥ 15 dB, for every noise`
    : `verdict: BELOW the ≥ 95 % target:\n  ${verdicts.join('\n  ')}`,
);
