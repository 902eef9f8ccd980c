// Transcript–audio mismatch benchmark, run by hand: `nice -n 19 npx tsx scripts/bench-alignment.ts [--decode]
// [--verbose] [--dump FILE]`. Every real English clip in test/fixtures/real that decodes (LJSpeech, VCTK 0.80 WAV
// and 0.92 FLAC both mics, LibriTTS) as a true pair, and more true pairs from each clip of 6 words or more
// whose words all aligned, cut in two between the aligned words nearest its middle (each half with its words);
// the same under 20 dB of pink noise, and mismatched pairs made from them: transcript swapped with the next
// clip's and with the clip's of the closest length, audio cut by 30–40 % (whole transcript kept), half the words
// dropped (every other one; the second half). Prints ROC AUC (true vs mismatched) per check — the espeak-ng DTW
// score, each piece of the recognizer's evidence, the shipped combination, and the combination refitted (weights
// ≥ 0) leaving each clip's pairs out (the honest figure: the shipped weights were fitted on these very clips) —
// false flags and catches at the default limit, the refitted weights, and throughput. `--decode` adds
// pocketsphinx's free decoding (WER) to every pair, once per distinct audio (~1× real time per core: slow);
// `--dump` writes every pair's metrics and recognizer output as JSON. Needs espeak-ng and pocketsphinx. Asserts
// nothing. `--cache DIR` keeps pocketsphinx's answers on disk (scripts/bench/recognizer-cache.ts) so a rerun, to refit
// the weights, costs seconds; `--quick` skips the per-check timing at the end.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  dictionaryWords,
  FIT_FEATURES,
  fitProbability,
  type FitFeatures,
  type FitWeights,
} from '../src/analyzers/clip/transcript-fit.js';
import { isFiller } from '../src/plugins/pocketsphinx-parse.js';
import { configSchema } from '../src/config/schema.js';
import { analyseClip } from '../src/pipeline/clip.js';
import { openEspeak } from '../src/plugins/espeak.js';
import { findModel, openPocketsphinx, type Pocketsphinx, type WordSegment } from '../src/plugins/pocketsphinx.js';
import { compileAlphabet } from '../src/text/alphabet.js';
import type { Utterance } from '../src/types.js';
import { cpuWithChildren as cpuSec } from './bench/children.js';
import { auc, featuresFromMetrics, fitNonNegative } from './bench/fit.js';
import { table } from './bench/format.js';
import { mix, pinkNoise, uniform } from './bench/noise.js';
import { englishClips, type SourceClip as Clip } from './bench/real-clips.js';
import { cachedRecognizer } from './bench/recognizer-cache.js';

const NOISY = 'true + pink 20 dB';
const SPLIT = 'true, split in two';
const KINDS = ['swap next', 'swap closest length', 'cut 30–40 %', 'every other word dropped', 'second half dropped'];

const { values: args } = parseArgs({
  options: {
    verbose: { type: 'boolean', default: false },
    decode: { type: 'boolean', default: false },
    dump: { type: 'string' },
    cache: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const config = configSchema.parse({
  analyzers: { alignment: { enabled: true, recognizer: { decodeShare: args.decode ? 1 : 0 } } },
});
const recognizer = config.analyzers.alignment.recognizer;

interface Pair {
  kind: string;
  clip: Clip;
  text: string;
  metrics: Record<string, number>;
  aligned?: WordSegment[];
  decoded?: WordSegment[];
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
const plain = await openPocketsphinx();
if (!espeak || !plain) throw new Error('the benchmark needs espeak-ng and pocketsphinx on PATH');
const cache = args.cache ? cachedRecognizer(plain, args.cache, JSON.stringify(findModel())) : undefined;
const pocketsphinx = cache?.recognizer ?? plain;
// Most pairs share their audio (swaps and dropped words keep the clip's): free decoding runs once per audio.
// The last alignment and decoding are kept for --dump.
const decodings = new Map<string, Promise<WordSegment[]>>();
let heard: Pick<Pair, 'aligned' | 'decoded'> = {};
const audioKey = (s: Float32Array, rate: number) =>
  `${rate}:${s.length}:${s.reduce((sum, v, i) => sum + v * ((i % 7) + 1), 0)}`;
const recognizer_: Pocketsphinx = {
  ...pocketsphinx,
  align: async (s, rate, w, beam) => (heard.aligned = await pocketsphinx.align(s, rate, w, beam)),
  decode: async (s, rate) => {
    const key = audioKey(s, rate);
    if (!decodings.has(key)) decodings.set(key, pocketsphinx.decode(s, rate));
    return (heard.decoded = await decodings.get(key)!);
  },
};
const facts = { phonemizer: null, alphabet: compileAlphabet(config.analyzers.text) };

async function measure(kind: string, c: Clip, u: Utterance): Promise<Pair> {
  const env = {
    config,
    facts: { ...facts, source: c.info },
    tools: { espeak, pocketsphinx: recognizer_ },
    readRoots: [],
  };
  heard = {};
  const { clip } = await analyseClip(u, env);
  return { kind, clip: c, text: u.text, metrics: clip.metrics, ...heard };
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
    const own = await measure('true', c, variant(c, textOf(c)));
    pairs.push(own);
    pairs.push(...(await splitPairs(c, own)));
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

/**
 * More true pairs: the clip cut in two in the pause (or at the boundary) between the aligned words nearest its
 * middle, each part with its own words. The alignment that finds the cut is the recognizer's own, so a part may
 * keep a word's edge: a harder true pair, not an easier one.
 */
async function splitPairs(c: Clip, own: Pair): Promise<Pair[]> {
  const aligned = (own.aligned ?? []).filter((s) => !isFiller(s.word));
  const known = dictionaryWords(textOf(c));
  if (known.length < 6 || aligned.length !== known.length) return [];
  const k = Math.floor(known.length / 2);
  const cutSec = (aligned[k - 1].endSec + aligned[k].startSec) / 2;
  const cut = Math.round(cutSec * c.audio.sampleRate);
  return [
    await measure(SPLIT, c, variant(c, known.slice(0, k).join(' '), c.audio.samples.slice(0, cut))),
    await measure(SPLIT, c, variant(c, known.slice(k).join(' '), c.audio.samples.slice(cut))),
  ];
}

const featuresOf = (p: Pair) => featuresFromMetrics(p.metrics, recognizer.framesPerPhone);

const clips = await englishClips();
console.log(
  `espeak-ng ${espeak.version}, ${pocketsphinx.program} (alignment beam ${recognizer.beam}); ${clips.length} English clips: ${[...new Set(clips.map((c) => c.corpus))].map((d) => `${d} ${clips.filter((c) => c.corpus === d).length}`).join(', ')}${args.decode ? '; free decoding on every pair' : ''}`,
);
const [wall0, cpu0] = [performance.now(), cpuSec()];
const pairs = await pairsOf(clips);
const [wallSec, cpuUsed] = [(performance.now() - wall0) / 1000, cpuSec() - cpu0];
if (args.dump)
  writeFileSync(args.dump, JSON.stringify(pairs.map((p) => ({ ...p, clip: p.clip.u.id, corpus: p.clip.corpus }))));
const audioSec = pairs.reduce((s, p) => s + (p.metrics['signal.duration_sec'] ?? 0), 0);
const ofKind = (kind: string) => pairs.filter((p) => p.kind === kind);
const isTrue = (p: Pair) => p.kind === 'true' || p.kind === SPLIT;
const truth = pairs.filter(isTrue);
const noisy = ofKind(NOISY);
const mismatched = pairs.filter((p) => KINDS.includes(p.kind));
console.log(
  `${ofKind('true').length} true pairs, ${ofKind(SPLIT).length} more from clips split in two at an aligned word boundary, ${noisy.length} true under 20 dB pink noise; mismatched: ${KINDS.map((k) => `${k} ${ofKind(k).length}`).join(', ')}\n`,
);

// Leave-one-clip-out: each clip's pairs (its split halves, noisy copy and mismatches too) scored by weights
// fitted on the other clips' pairs. Noisy true pairs train as true: the limit must hold under noise.
const use = FIT_FEATURES.filter((f) => args.decode || (f !== 'wer' && f !== 'posterior'));
const fitted = [...truth, ...noisy, ...mismatched];
const row = (p: Pair) => use.map((f) => featuresOf(p)[f]);
const toWeights = ({ bias, weights }: { bias: number; weights: number[] }): FitWeights => ({
  bias,
  ...(Object.fromEntries(FIT_FEATURES.map((f) => [f, 0])) as FitFeatures),
  ...Object.fromEntries(use.map((f, j) => [f, weights[j]])),
});
const cv = new Map<Pair, number>();
for (const c of clips) {
  const train = fitted.filter((p) => p.clip !== c);
  const w = toWeights(
    fitNonNegative(
      train.map(row),
      train.map((p) => Number(KINDS.includes(p.kind))),
    ),
  );
  for (const p of pairs.filter((q) => q.clip === c)) cv.set(p, fitProbability(w, featuresOf(p)));
}
const wAll = toWeights(
  fitNonNegative(
    fitted.map(row),
    fitted.map((p) => Number(KINDS.includes(p.kind))),
  ),
);
const shipped = args.decode ? recognizer.weightsDecoded : recognizer.weights;

const feature = (f: keyof FitFeatures) => (p: Pair) => featuresOf(p)[f];
const checks: Record<string, (p: Pair) => number> = {
  'DTW score (espeak-ng)': (p) => p.metrics['alignment.score'],
  'recognizer: words skipped': feature('skipped'),
  'recognizer: words skipped at the end': feature('tailSkipped'),
  'recognizer: speech outside aligned words': feature('uncovered'),
  'recognizer: acoustic cost': feature('acousticCost'),
  'pace: speech frames per phone': (p) => p.metrics['alignment.asr_speech_frames_per_phone'] ?? 0,
  'pace: frames per phone, reversed': (p) => -(p.metrics['alignment.asr_speech_frames_per_phone'] ?? 0),
  ...(args.decode ? { 'recognizer: free-decoding WER': feature('wer') } : {}),
  'combined, shipped weights': (p) => p.metrics['alignment.fit_probability'],
  'combined, leave-one-clip-out refit': (p) => cv.get(p)!,
};
const header = ['check', 'all', 'all, noisy true', ...KINDS];
const rows = Object.entries(checks).map(([name, f]) => {
  const [t, m] = [truth.map(f), mismatched.map(f)];
  return [name, auc(t, m), auc(noisy.map(f), m), ...KINDS.map((k) => auc(t, ofKind(k).map(f)))].map((x) =>
    typeof x === 'number' ? x.toFixed(3) : x,
  );
});
console.log(
  'ROC AUC, true pairs (whole and split) against each kind of mismatch ("all, noisy true": the true pairs under 20 dB pink noise against all):',
);
console.log(table(header, rows));

const limit = recognizer.maxProbability;
const over = (of: Pair[], f: (p: Pair) => number, t: number) => `${of.filter((p) => f(p) > t).length}/${of.length}`;
const flagLine = (f: (p: Pair) => number, t: number) =>
  `false flags ${over(ofKind('true'), f, t)} true, ${over(ofKind(SPLIT), f, t)} split, ${over(noisy, f, t)} noisy true; caught ${KINDS.map((k) => `${k} ${over(ofKind(k), f, t)}`).join(', ')}`;
console.log(`\nAt the default limit (probability > ${limit}):`);
console.log(`  shipped weights     ${flagLine(checks['combined, shipped weights'], limit)}`);
console.log(`  leave-one-clip-out  ${flagLine(checks['combined, leave-one-clip-out refit'], limit)}`);
for (const t of [0.5, 0.8, 0.9])
  console.log(`  leave-one-out > ${t}  ${flagLine(checks['combined, leave-one-clip-out refit'], t)}`);
const dtwLimit = config.analyzers.alignment.maxScore;
console.log(`  DTW alone > ${dtwLimit}   ${flagLine(checks['DTW score (espeak-ng)'], dtwLimit)}`);
const show = (w: Record<string, number>) =>
  Object.entries(w)
    .map(([k, v]) => `${k}: ${v.toFixed(2)}`)
    .join(', ');
console.log(`\nweights fitted on all pairs (${args.decode ? 'weightsDecoded' : 'weights'}): ${show(wAll)}`);
console.log(`shipped: ${show(shipped)}`);

if (args.verbose) {
  console.log();
  for (const p of pairs)
    console.log(
      [
        p.clip.u.id.padEnd(28),
        p.kind.padEnd(26),
        ...Object.values(featuresOf(p)).map((v) => v.toFixed(3).padStart(7)),
        (p.metrics['alignment.fit_probability'] ?? NaN).toFixed(3).padStart(7),
        (cv.get(p) ?? NaN).toFixed(3).padStart(7),
      ].join(' '),
    );
}
const hits = cache
  ? `; ${cache.stats.hits} of ${cache.stats.hits + cache.stats.misses} recognizer calls answered from the cache, so not a speed`
  : '';
console.log(
  `\nThroughput, whole analysis of every pair one at a time (decode, features, every analyzer, espeak-ng and pocketsphinx children): ${(audioSec / wallSec).toFixed(1)}× real time wall, ${(audioSec / cpuUsed).toFixed(1)}× real time per CPU second (${audioSec.toFixed(0)} s of audio${hits}).`,
);
// Each check on its own over the true pairs, never from the cache: CPU of this process and its finished children.
const timed = async (name: string, f: (c: Clip) => Promise<unknown>) => {
  const [w, c0] = [performance.now(), cpuSec()];
  // A call may time out on a loaded machine (the plugin's 120 s): counted, not fatal.
  let failed = 0;
  for (const c of clips) await f(c).catch(() => (failed += 1));
  const sec = clips.reduce((s, c) => s + c.audio.durationSec, 0);
  console.log(
    `  ${name.padEnd(46)} ${(sec / ((performance.now() - w) / 1000)).toFixed(1).padStart(6)}× real time wall, ${(sec / (cpuSec() - c0)).toFixed(1).padStart(6)}× per CPU second${failed ? ` (${failed} of ${clips.length} calls failed)` : ''}`,
  );
};
if (!args.quick) {
  console.log('Per check, over the whole true clips one at a time:');
  await timed(`pocketsphinx forced alignment, beam ${recognizer.beam}`, (c) =>
    plain.align(c.audio.samples, c.audio.sampleRate, dictionaryWords(textOf(c)), recognizer.beam),
  );
  await timed('espeak-ng synthesis', (c) => espeak.synthesize(textOf(c), 'en'));
  if (args.decode) await timed('pocketsphinx free decoding', (c) => plain.decode(c.audio.samples, c.audio.sampleRate));
}
espeak.close();
plain.close();
