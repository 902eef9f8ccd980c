// Transcript–audio mismatch benchmark, run by hand: `nice -n 19 npx tsx scripts/bench-alignment.ts [--decode]
// [--verbose]`. Every real English clip in test/fixtures/real that decodes (LJSpeech, VCTK 0.80 WAV and 0.92
// FLAC both mics, LibriTTS) as a true pair, the same under 20 dB of pink noise, and mismatched pairs made from
// them: transcript swapped with the next clip's and with the clip's of the closest length, audio cut by 30–40 %
// (whole transcript kept), half the words dropped. Prints ROC AUC (true vs mismatched) per check — the espeak-ng
// DTW score, the recognizer's evidence, the shipped combination, and the combination refitted leaving each
// clip's pairs out (an honest figure: the shipped weights were fitted on these very clips) — false flags at the
// default limit, the refitted weights, and throughput. `--decode` adds pocketsphinx's free decoding (WER) to every
// pair (~1× real time per core: slow). Needs espeak-ng and pocketsphinx. Asserts nothing.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dictionaryWords } from '../src/analyzers/clip/transcript-fit.js';
import type { SourceInfo } from '../src/analyzers/types.js';
import { decodeAudioRef } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { analyseClip } from '../src/pipeline/clip.js';
import { openEspeak } from '../src/plugins/espeak.js';
import { openPocketsphinx } from '../src/plugins/pocketsphinx.js';
import { selectSource } from '../src/sources/index.js';
import type { SourceOptions } from '../src/sources/types.js';
import { compileAlphabet } from '../src/text/alphabet.js';
import type { DecodedAudio, Utterance } from '../src/types.js';
import { mix, pinkNoise, uniform } from './bench/noise.js';

const REAL = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real');
const CORPORA: { dir: string; options?: SourceOptions }[] = [
  { dir: 'ljspeech' },
  { dir: 'vctk', options: { mic: 'both' } },
  { dir: 'vctk-0.80' },
  { dir: 'libritts' },
];
const NOISY = 'true + pink 20 dB';
const KINDS = ['swap next', 'swap closest length', 'cut 30–40 %', 'every other word dropped', 'second half dropped'];
const FEATURES = [
  'dtwScore',
  'skipped',
  'acousticCost',
  'squeezed',
  'fillerShare',
  'tailSkipped',
  'stretch',
  'uncovered',
  'wer',
  'posterior',
] as const;
type Feature = (typeof FEATURES)[number];

const { values: args } = parseArgs({
  options: { verbose: { type: 'boolean', default: false }, decode: { type: 'boolean', default: false } },
});
const config = configSchema.parse({
  analyzers: { alignment: { enabled: true, recognizer: { decodeShare: args.decode ? 1 : 0 } } },
});
const recognizer = config.analyzers.alignment.recognizer;

interface Clip {
  corpus: string;
  u: Utterance;
  audio: DecodedAudio;
  info: SourceInfo;
}
interface Pair {
  kind: string;
  clip: Clip;
  metrics: Record<string, number>;
}

async function loadClips(): Promise<Clip[]> {
  const clips: Clip[] = [];
  for (const { dir, options = {} } of CORPORA) {
    const root = resolve(REAL, dir);
    const source = await selectSource(root, 'auto', options);
    const facts = source.inspect ? await source.inspect(root, options) : {};
    const info: SourceInfo = {
      name: source.name,
      language: facts.language ?? source.language,
      expectsNormalizedText: source.expectsNormalizedText,
    };
    for await (const item of source.read(root, options)) {
      if (!('utterance' in item)) continue;
      const decoded = await decodeAudioRef(item.utterance.audio).catch(() => undefined);
      if (decoded) clips.push({ corpus: dir, u: item.utterance, audio: decoded.audio, info });
    }
  }
  return clips;
}

const words = (t: string) => t.trim().split(/\s+/);
const textOf = (c: Clip) => c.u.normalizedText ?? c.u.text;

/** The clip with other text, or other audio, as a loader would have yielded it. */
function variant(c: Clip, text: string, samples = c.audio.samples): Utterance {
  return {
    ...c.u,
    id: `${c.u.id}~`,
    text,
    normalizedText: undefined,
    audio: { kind: 'pcm', samples, sampleRate: c.audio.sampleRate, name: `${c.u.id}.wav` },
  };
}

const espeak = await openEspeak();
const pocketsphinx = await openPocketsphinx();
if (!espeak || !pocketsphinx) throw new Error('the benchmark needs espeak-ng and pocketsphinx on PATH');
const facts = { phonemizer: null, alphabet: compileAlphabet(config.analyzers.text) };

async function measure(kind: string, c: Clip, u: Utterance): Promise<Pair> {
  const env = { config, facts: { ...facts, source: c.info }, tools: { espeak, pocketsphinx }, readRoots: [] };
  const { clip } = await analyseClip(u, env);
  return { kind, clip: c, metrics: clip.metrics };
}

async function pairsOf(clips: Clip[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  const u = uniform(13);
  for (const [i, c] of clips.entries()) {
    const len = textOf(c).length;
    const others = clips.filter((o) => textOf(o) !== textOf(c));
    const next = others.find((o) => clips.indexOf(o) > i) ?? others[0];
    const closest = others.sort((a, b) => Math.abs(textOf(a).length - len) - Math.abs(textOf(b).length - len))[0];
    const n = c.audio.samples.length;
    const w = words(textOf(c));
    pairs.push(await measure('true', c, variant(c, textOf(c))));
    pairs.push(await measure(NOISY, c, variant(c, textOf(c), mix(c.audio.samples, pinkNoise(n, i + 1), 20))));
    pairs.push(await measure(KINDS[0], c, variant(c, textOf(next))));
    pairs.push(await measure(KINDS[1], c, variant(c, textOf(closest))));
    const keep = 0.6 + 0.1 * u();
    pairs.push(await measure(KINDS[2], c, variant(c, textOf(c), c.audio.samples.slice(0, Math.round(n * keep)))));
    // Half the words dropped two ways: every other word (what is left still spans the clip) and the second half.
    if (w.length >= 4) {
      pairs.push(await measure(KINDS[3], c, variant(c, w.filter((_, k) => k % 2 === 0).join(' '))));
      pairs.push(await measure(KINDS[4], c, variant(c, w.slice(0, Math.ceil(w.length / 2)).join(' '))));
    }
  }
  return pairs;
}

/** The pair's features in the units of the shipped weights (as the analyzer computes them). */
function featuresOf(p: Pair): Record<Feature, number> {
  const m = p.metrics;
  return {
    dtwScore: m['alignment.score'],
    skipped: m['alignment.asr_skipped'],
    acousticCost: (m['alignment.asr_acoustic_cost'] ?? 0) / 100,
    squeezed: m['alignment.asr_squeezed'] ?? 0,
    fillerShare: m['alignment.asr_filler_share'] ?? 0,
    tailSkipped: m['alignment.asr_tail_skipped'] ?? 1,
    stretch: (m['alignment.asr_frames_per_phone'] ?? 0) / 10,
    uncovered: m['alignment.asr_uncovered'],
    wer: Math.min(2, m['alignment.asr_wer'] ?? 0),
    posterior: m['alignment.asr_posterior'] === undefined ? 0 : 1 - m['alignment.asr_posterior'],
  };
}

/** L2-regularised logistic regression by gradient descent on standardised features; weights in raw units. */
function fitLogistic(xs: Record<Feature, number>[], ys: number[], use: readonly Feature[]) {
  const mean = use.map((f) => xs.reduce((s, x) => s + x[f], 0) / xs.length);
  const sd = use.map((f, j) => Math.sqrt(xs.reduce((s, x) => s + (x[f] - mean[j]) ** 2, 0) / xs.length) || 1);
  const z = xs.map((x) => use.map((f, j) => (x[f] - mean[j]) / sd[j]));
  const w = new Array<number>(use.length).fill(0);
  let b = 0;
  // Mismatched pairs outnumber true ones ~4:1: each class weighs half.
  const pos = ys.filter((y) => y === 1).length;
  const cw = ys.map((y) => (y ? 0.5 / pos : 0.5 / (ys.length - pos)));
  for (let it = 0; it < 3000; it++) {
    const gw = w.map((wj) => 0.01 * wj);
    let gb = 0;
    for (let i = 0; i < z.length; i++) {
      const p = 1 / (1 + Math.exp(-(b + z[i].reduce((s, v, j) => s + v * w[j], 0))));
      const g = (p - ys[i]) * cw[i];
      gb += g;
      for (let j = 0; j < w.length; j++) gw[j] += g * z[i][j];
    }
    b -= 1 * gb;
    for (let j = 0; j < w.length; j++) w[j] -= 1 * gw[j];
  }
  const weights = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<Feature, number>;
  let bias = b;
  use.forEach((f, j) => {
    weights[f] = w[j] / sd[j];
    bias -= (w[j] * mean[j]) / sd[j];
  });
  return { bias, ...weights };
}

const prob = (w: { bias: number } & Record<Feature, number>, x: Record<Feature, number>) =>
  1 / (1 + Math.exp(-(w.bias + FEATURES.reduce((s, f) => s + w[f] * x[f], 0))));

/** Probability that a mismatched pair scores above a true one (ties count half): the ROC AUC. */
function auc(truth: number[], mismatched: number[]): number {
  let wins = 0;
  for (const t of truth) for (const m of mismatched) wins += m > t ? 1 : m === t ? 0.5 : 0;
  return wins / (truth.length * mismatched.length);
}

/** CPU seconds of this process and its finished children (espeak-ng, pocketsphinx): Linux /proc. */
function cpuSec(): number {
  const own = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / 100;
}

const clips = await loadClips();
console.log(
  `espeak-ng ${espeak.version}, ${pocketsphinx.program}; ${clips.length} English clips: ${[...new Set(clips.map((c) => c.corpus))].map((d) => `${d} ${clips.filter((c) => c.corpus === d).length}`).join(', ')}${args.decode ? '; free decoding on every pair' : ''}`,
);
const [wall0, cpu0] = [performance.now(), cpuSec()];
const pairs = await pairsOf(clips);
const [wallSec, cpuUsed] = [(performance.now() - wall0) / 1000, cpuSec() - cpu0];
const audioSec = pairs.reduce((s, p) => s + (p.metrics['signal.duration_sec'] ?? 0), 0);
const truth = pairs.filter((p) => p.kind === 'true');
const mismatched = pairs.filter((p) => KINDS.includes(p.kind));
console.log(
  `${truth.length} true pairs (and as many under noise); mismatched: ${KINDS.map((k) => `${k} ${pairs.filter((p) => p.kind === k).length}`).join(', ')}\n`,
);

// Leave-one-clip-out: each clip's pairs scored by weights fitted on the other clips' pairs.
const use: Feature[] = [
  'dtwScore',
  'skipped',
  'acousticCost',
  'squeezed',
  'fillerShare',
  'tailSkipped',
  'stretch',
  'uncovered',
];
if (args.decode) use.push('wer', 'posterior');
// Noisy true pairs train too (as true): the limit must hold under noise; the refit leaves each clip's out.
const fitted = [...truth, ...pairs.filter((p) => p.kind === NOISY), ...mismatched];
const ys = fitted.map((p) => (p.kind === 'true' || p.kind === NOISY ? 0 : 1));
const cv = new Map<Pair, number>();
for (const c of clips) {
  const train = fitted.map((p, i) => [p, ys[i]] as const).filter(([p]) => p.clip !== c);
  const w = fitLogistic(
    train.map(([p]) => featuresOf(p)),
    train.map(([, y]) => y),
    use,
  );
  for (const p of pairs.filter((q) => q.clip === c)) cv.set(p, prob(w, featuresOf(p)));
}
const recognizerOnly = use.filter((f) => f !== 'dtwScore');
const wAll = fitLogistic(fitted.map(featuresOf), ys, use);
const wRec = fitLogistic(fitted.map(featuresOf), ys, recognizerOnly);
const shipped = args.decode ? recognizer.weightsDecoded : recognizer.weights;

const checks: Record<string, (p: Pair) => number> = {
  'DTW score (espeak-ng)': (p) => p.metrics['alignment.score'],
  'recognizer: words skipped': (p) => p.metrics['alignment.asr_skipped'],
  'recognizer: acoustic cost': (p) => p.metrics['alignment.asr_acoustic_cost'] ?? 1e9,
  'recognizer: words skipped at the end': (p) => p.metrics['alignment.asr_tail_skipped'] ?? 1,
  'recognizer: filler share': (p) => p.metrics['alignment.asr_filler_share'] ?? 1,
  'recognizer: evidence (in-sample fit)': (p) => prob(wRec, featuresOf(p)),
  ...(args.decode ? { 'recognizer: free-decoding WER': (p: Pair) => p.metrics['alignment.asr_wer'] } : {}),
  'combined, shipped weights': (p) => p.metrics['alignment.fit_probability'],
  'combined, leave-one-clip-out refit': (p) => cv.get(p)!,
};
const header = ['check', 'all', ...KINDS];
const rows = Object.entries(checks).map(([name, f]) => {
  const t = truth.map(f);
  return [name, auc(t, mismatched.map(f)), ...KINDS.map((k) => auc(t, pairs.filter((p) => p.kind === k).map(f)))].map(
    (x) => (typeof x === 'number' ? x.toFixed(3) : x),
  );
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log('ROC AUC, true pairs against each kind of mismatch:');
for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows])
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | '));

const limit = recognizer.maxProbability;
const flags = (kind: string, f: (p: Pair) => number) => {
  const of = pairs.filter((p) => p.kind === kind);
  return `${of.filter((p) => f(p) > limit).length}/${of.length}`;
};
console.log(`\nAt the default limit (probability > ${limit}):`);
for (const [name, f] of [
  ['shipped weights', checks['combined, shipped weights']],
  ['leave-one-clip-out', checks['combined, leave-one-clip-out refit']],
] as const)
  console.log(
    `  ${name.padEnd(20)} false flags: ${flags('true', f)} true, ${flags(NOISY, f)} noisy true; caught: ${KINDS.map((k) => `${k} ${flags(k, f)}`).join(', ')}`,
  );
for (const t of [0.7, 0.8, 0.9, 0.95]) {
  const f = checks['combined, leave-one-clip-out refit'];
  const n = (kind: string) => pairs.filter((p) => p.kind === kind && f(p) > t).length;
  console.log(
    `  leave-one-clip-out > ${t}: false flags ${n('true')}/${truth.length} true, ${n(NOISY)}/${truth.length} noisy true; caught ${KINDS.map((k) => `${k} ${n(k)}/${pairs.filter((p) => p.kind === k).length}`).join(', ')}`,
  );
}
const dtwLimit = config.analyzers.alignment.maxScore;
const dtwFlags = (kind: string) => {
  const of = pairs.filter((p) => p.kind === kind);
  return `${of.filter((p) => p.metrics['alignment.score'] > dtwLimit).length}/${of.length}`;
};
console.log(
  `  DTW alone (> ${dtwLimit})    false flags: ${dtwFlags('true')} true, ${dtwFlags(NOISY)} noisy true; caught: ${KINDS.map((k) => `${k} ${dtwFlags(k)}`).join(', ')}`,
);
const show = (w: Record<string, number>) =>
  Object.entries(w)
    .map(([k, v]) => `${k}: ${v.toFixed(2)}`)
    .join(', ');
console.log(`\nweights fitted on all pairs (${args.decode ? 'weightsDecoded' : 'weights'}): ${show(wAll)}`);
console.log(`shipped: ${show(shipped)}`);

if (args.verbose) {
  console.log();
  for (const p of pairs) {
    const m = p.metrics;
    console.log(
      [
        p.clip.u.id.padEnd(28),
        p.kind.padEnd(22),
        ...[
          'alignment.score',
          'alignment.asr_skipped',
          'alignment.asr_acoustic_cost',
          'alignment.asr_squeezed',
          'alignment.asr_filler_share',
          'alignment.asr_tail_skipped',
          'alignment.asr_frames_per_phone',
          'alignment.asr_uncovered',
          'alignment.asr_wer',
          'alignment.fit_probability',
        ].map((k) => (m[k] ?? NaN).toFixed(3).padStart(8)),
        (cv.get(p) ?? NaN).toFixed(3).padStart(7),
      ].join(' '),
    );
  }
}
console.log(
  `\nThroughput, whole analysis of every pair one at a time (decode, features, every analyzer, espeak-ng and pocketsphinx children): ${(audioSec / wallSec).toFixed(1)}× real time wall, ${(audioSec / cpuUsed).toFixed(1)}× real time per CPU second (${audioSec.toFixed(0)} s of audio).`,
);
// Each check on its own over the true pairs: CPU of this process and its finished children.
const timed = async (name: string, f: (c: Clip) => Promise<unknown>) => {
  const [w, c0] = [performance.now(), cpuSec()];
  for (const c of clips) await f(c);
  const sec = clips.reduce((s, c) => s + c.audio.durationSec, 0);
  console.log(
    `  ${name.padEnd(42)} ${(sec / ((performance.now() - w) / 1000)).toFixed(1).padStart(6)}× real time wall, ${(sec / (cpuSec() - c0)).toFixed(1).padStart(6)}× per CPU second`,
  );
};
console.log('Per check, over the true pairs one at a time:');
await timed('pocketsphinx forced alignment (16 kHz WAV)', (c) =>
  pocketsphinx.align(c.audio.samples, c.audio.sampleRate, dictionaryWords(textOf(c))),
);
await timed('espeak-ng synthesis', (c) => espeak.synthesize(textOf(c), 'en'));
if (args.decode)
  await timed('pocketsphinx free decoding', (c) => pocketsphinx.decode(c.audio.samples, c.audio.sampleRate));
espeak.close();
pocketsphinx.close();
