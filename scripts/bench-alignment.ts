// Transcript–audio mismatch benchmark, run by hand: `npx tsx scripts/bench-alignment.ts [--verbose]`.
// Every real clip in test/fixtures/real that decodes (LJSpeech, VCTK 0.80 WAV and 0.92 FLAC both mics,
// LibriTTS, MLS Spanish Opus) as a true pair, and mismatched pairs made from them: transcript swapped with the
// next clip's and with the clip's of the closest length, audio truncated by 30 %, the transcript's second half
// dropped (≥ 8 words), another clip's transcript appended. Prints ROC AUC (true vs mismatched) of the alignment
// score, of each component, and of phonemes/s and chars/s for comparison, then the analyzers' throughput.
// Needs espeak-ng on PATH. Asserts nothing.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { alignment } from '../src/analyzers/clip/alignment.js';
import { phonemes } from '../src/analyzers/clip/phonemes.js';
import type { SourceInfo } from '../src/analyzers/types.js';
import { decodeAudioRef } from '../src/audio/decode.js';
import { configSchema } from '../src/config/schema.js';
import { computeFeatures } from '../src/features/frames.js';
import { analyseClip } from '../src/pipeline/clip.js';
import { openEspeak } from '../src/plugins/espeak.js';
import { findSpeech } from '../src/features/speech.js';
import { selectSource } from '../src/sources/index.js';
import type { SourceOptions } from '../src/sources/types.js';
import type { DecodedAudio, Utterance } from '../src/types.js';
import { median } from '../src/util/stats.js';
import { mix, pinkNoise } from './bench/noise.js';
import { compileAlphabet } from '../src/text/alphabet.js';

const SHARED = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'real');
const CORPORA: { dir: string; options?: SourceOptions }[] = [
  { dir: 'ljspeech' },
  { dir: 'vctk', options: { mic: 'both' } },
  { dir: 'vctk-0.80' },
  { dir: 'libritts' },
  { dir: 'mls/spanish' },
];
const TRUNCATE_KEEP = 0.7;
const MIN_WORDS_TO_DROP = 8;
// Matching pairs under pink noise: how far noise alone moves the score (not counted in the AUC).
const NOISY = 'true, pink noise 20 dB SNR';

const { values: args } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
const config = configSchema.parse({ analyzers: { alignment: { enabled: true } } });

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
    const root = resolve(SHARED, dir);
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

async function measure(kind: string, c: Clip, u: Utterance): Promise<Pair> {
  const facts = { source: c.info, alphabet: compileAlphabet(config.analyzers.text), phonemizer: null };
  const { clip } = await analyseClip(u, { config, facts, tools: { espeak }, readRoots: [] });
  return { kind, clip: c, metrics: clip.metrics };
}

async function pairsOf(clips: Clip[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const [i, c] of clips.entries()) {
    const next = clips[(i + 1) % clips.length];
    const len = textOf(c).length;
    const closest = clips
      .filter((o) => textOf(o) !== textOf(c))
      .sort((a, b) => Math.abs(textOf(a).length - len) - Math.abs(textOf(b).length - len))[0];
    pairs.push(await measure('true', c, variant(c, textOf(c))));
    pairs.push(
      await measure(
        NOISY,
        c,
        variant(c, textOf(c), mix(c.audio.samples, pinkNoise(c.audio.samples.length, i + 1), 20)),
      ),
    );
    pairs.push(
      await measure('swap next', c, variant(c, textOf(next === c || textOf(next) === textOf(c) ? closest : next))),
    );
    pairs.push(await measure('swap closest length', c, variant(c, textOf(closest))));
    pairs.push(
      await measure(
        'truncated 30 %',
        c,
        variant(c, textOf(c), c.audio.samples.slice(0, Math.round(c.audio.samples.length * TRUNCATE_KEEP))),
      ),
    );
    const w = words(textOf(c));
    if (w.length >= MIN_WORDS_TO_DROP)
      pairs.push(await measure('second half dropped', c, variant(c, w.slice(0, Math.ceil(w.length / 2)).join(' '))));
    pairs.push(await measure('sentence added', c, variant(c, `${textOf(c)} ${textOf(next === c ? closest : next)}`)));
  }
  return pairs;
}

/** Probability that a mismatched pair scores above a true one (ties count half): the ROC AUC. */
function auc(truth: number[], mismatched: number[]): number {
  let wins = 0;
  for (const t of truth) for (const m of mismatched) wins += m > t ? 1 : m === t ? 0.5 : 0;
  return wins / (truth.length * mismatched.length);
}

// Two-sided measures (a rate or a ratio can be wrong either way) count as the distance from the median of the
// corpus' true pairs — a calibration the per-clip alignment score does not get.
function measures(pairs: Pair[]): Record<string, (p: Pair) => number> {
  const center = (metric: string) => {
    const byCorpus = new Map<string, number>();
    for (const corpus of new Set(pairs.map((p) => p.clip.corpus)))
      byCorpus.set(
        corpus,
        median(pairs.filter((p) => p.kind === 'true' && p.clip.corpus === corpus).map((p) => p.metrics[metric])),
      );
    return (p: Pair) => Math.abs(Math.log(p.metrics[metric] / byCorpus.get(p.clip.corpus)!));
  };
  return {
    'alignment.score': (p) => p.metrics['alignment.score'],
    'alignment.path_cost': (p) => p.metrics['alignment.path_cost'],
    '1 − alignment.coverage': (p) => 1 - p.metrics['alignment.coverage'],
    '|ln duration_ratio / expected|': (p) =>
      Math.abs(Math.log(p.metrics['alignment.duration_ratio'] / config.analyzers.alignment.expectedDurationRatio)),
    '|ln duration_ratio / corpus median|': center('alignment.duration_ratio'),
    '|ln phonemes/s / corpus median|': center('phonemes.per_sec'),
    '|ln chars/s / corpus median|': center('rate.chars_per_sec'),
  };
}

/** CPU seconds of this process and its finished children (espeak-ng): Linux /proc, else this process only. */
function cpuSec(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in USER_HZ (100 on Linux)
  } catch {
    // not Linux: children's CPU is not counted
  }
  return (own.user + own.system) / 1e6 + children;
}

/**
 * Times one analyzer's prepare + analyze over every clip, one clip at a time, as the pipeline runs them. The
 * long-lived phonemizer processes are ended before reading the CPU clock, so their time is counted too.
 */
async function throughput(analyzer: typeof alignment | typeof phonemes, clips: Clip[], rounds: number) {
  const espeak = (await openEspeak())!;
  const silence = configSchema.parse({}).analyzers.silence;
  const setup = clips.map((c) => {
    const features = computeFeatures(c.audio);
    return { c, features, speech: findSpeech(features, c.audio.durationSec, silence) };
  });
  const c0 = { ...configSchema.parse({}).analyzers[analyzer.name], enabled: true };
  const settle = async () => {
    espeak.close();
    await new Promise((r) => setTimeout(r, 300));
  };
  await settle();
  let audioSec = 0;
  const [wall0, cpu0] = [performance.now(), cpuSec()];
  for (let r = 0; r < rounds; r++) {
    for (const { c, features, speech } of setup) {
      const prepared = await (analyzer.prepare as (x: unknown) => Promise<unknown>)({
        utterance: c.u,
        config: c0,
        source: c.info,
        tools: { espeak },
      });
      (analyzer.analyze as (x: unknown) => unknown)({
        utterance: c.u,
        audio: c.audio,
        features,
        speech,
        config: c0,
        source: c.info,
        prepared,
      });
      audioSec += c.audio.durationSec;
    }
  }
  const wallSec = (performance.now() - wall0) / 1000;
  await settle();
  return { audioSec, wallSec, cpuSec: cpuSec() - cpu0 };
}

const espeak = await openEspeak();
if (!espeak) throw new Error('espeak-ng not found on PATH: the benchmark needs it');
const clips = await loadClips();
console.log(
  `espeak-ng ${espeak.version}; ${clips.length} clips: ${[...new Set(clips.map((c) => c.corpus))].map((d) => `${d} ${clips.filter((c) => c.corpus === d).length}`).join(', ')}`,
);
const pairs = await pairsOf(clips);
const kinds = [...new Set(pairs.map((p) => p.kind))].filter((k) => k !== 'true' && k !== NOISY);
const mismatched = pairs.filter((p) => kinds.includes(p.kind));
console.log(
  `${pairs.filter((p) => p.kind === 'true').length} true pairs (and as many under noise); mismatched: ${kinds.map((k) => `${k} ${pairs.filter((p) => p.kind === k).length}`).join(', ')}\n`,
);
if (args.verbose) {
  for (const p of pairs) {
    const m = p.metrics;
    console.log(
      [
        p.clip.u.id.padEnd(28),
        p.kind.padEnd(20),
        ...[
          'alignment.score',
          'alignment.path_cost',
          'alignment.coverage',
          'alignment.duration_ratio',
          'phonemes.per_sec',
          'rate.chars_per_sec',
        ].map((k) => (m[k] ?? NaN).toFixed(3).padStart(7)),
      ].join(' '),
    );
  }
  console.log();
}

const truth = pairs.filter((p) => p.kind === 'true');
const header = ['measure', 'all', ...kinds];
const rows = Object.entries(measures(pairs)).map(([name, f]) => {
  const t = truth.map(f);
  return [name, auc(t, mismatched.map(f)), ...kinds.map((k) => auc(t, pairs.filter((p) => p.kind === k).map(f)))].map(
    (x) => (typeof x === 'number' ? x.toFixed(3) : x),
  );
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows])
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | '));

const a = config.analyzers.alignment;
const scores = (k: string) =>
  (k === 'mismatched' ? mismatched : pairs.filter((p) => p.kind === k)).map((p) => p.metrics['alignment.score']);
const flagged = (xs: number[], limit: number) => xs.filter((x) => x > limit).length;
console.log(
  `\nmedian duration ratio of true pairs: ${median(truth.map((p) => p.metrics['alignment.duration_ratio'])).toFixed(2)}`,
);
for (const limit of [0.7, 0.72, 0.75, 0.8]) {
  console.log(
    `score > ${limit}${limit === a.maxScore ? ' (maxScore)' : ''}: flags ${flagged(scores('true'), limit)}/${truth.length} true pairs, ${flagged(scores(NOISY), limit)}/${truth.length} noisy true pairs, ${flagged(scores('mismatched'), limit)}/${mismatched.length} mismatched`,
  );
}
console.log(
  `true scores: ${scores('true')
    .sort((x, y) => x - y)
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `noisy true scores (${NOISY}): ${scores(NOISY)
    .sort((x, y) => x - y)
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `mismatched scores, lowest 10: ${scores('mismatched')
    .sort((x, y) => x - y)
    .slice(0, 10)
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

console.log('\nThroughput (prepare + analyze, one clip at a time; CPU counts espeak-ng children):');
for (const [analyzer, rounds] of [
  [alignment, 3],
  [phonemes, 10],
] as const) {
  const t = await throughput(analyzer, clips, rounds);
  console.log(
    `  ${analyzer.name.padEnd(10)} ${(t.audioSec / t.wallSec).toFixed(0).padStart(5)}× real time (wall)  ${(t.audioSec / t.cpuSec).toFixed(0).padStart(5)}× real time per CPU second  (${t.audioSec.toFixed(0)} s of audio)`,
  );
}
espeak.close();
