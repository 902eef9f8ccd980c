import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { textConfig } from '../../src/analyzers/clip/text-config.js';
import type { RunFacts, SourceInfo } from '../../src/analyzers/types.js';
import { decodeFile } from '../../src/audio/decode.js';
import { configSchema, type AuditConfigInput } from '../../src/config/schema.js';
import { computeFeatures } from '../../src/features/frames.js';
import { findSpeech } from '../../src/features/speech.js';
import { suggestedTrims } from '../../src/features/trims.js';
import { analyseAudio } from '../../src/pipeline/clip.js';
import { compileAlphabet } from '../../src/text/alphabet.js';
import type { DecodedAudio, Utterance } from '../../src/types.js';
import { uniform } from '../../scripts/bench/noise.js';

export function sox(args: string[]): void {
  execFileSync('sox', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Deterministic Gaussian noise (seeded PRNG + Box–Muller), so a test sees the same signal every run. */
export function gaussian(seed: number): () => number {
  const u = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** Adds white noise at `snrDb` below the clip's mean power (over the whole clip). */
/** A decoded mono 16-bit PCM clip holding `samples`. */
export const pcmAudio = (samples: Float32Array, sampleRate: number): DecodedAudio => ({
  samples,
  sampleRate,
  channels: 1,
  bitDepth: 16,
  codec: 'pcm',
  durationSec: samples.length / sampleRate,
});

/** `seconds` of seeded Gaussian noise of standard deviation `level`. */
export function gaussianNoise(seconds: number, sampleRate: number, level: number, seed: number): DecodedAudio {
  const rand = gaussian(seed);
  return pcmAudio(
    Float32Array.from({ length: Math.round(seconds * sampleRate) }, () => level * rand()),
    sampleRate,
  );
}

export function withNoise(audio: DecodedAudio, snrDb: number, seed = 1): DecodedAudio {
  const x = audio.samples;
  let power = 0;
  for (const v of x) power += v * v;
  power /= x.length;
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const rand = gaussian(seed);
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] + sigma * rand();
  return { ...audio, samples: y };
}

/** The alphabet a run builds from the default config. */
export const ALPHABET = compileAlphabet(textConfig.parse(undefined));

/** Run facts for a dataset analyzer under test. */
export const facts = (source: SourceInfo): RunFacts => ({ source, alphabet: ALPHABET, phonemizer: null });

/** The context one clip analyzer sees, for a test that runs it alone over decoded audio. */
export function clipContext<C>(audio: DecodedAudio, config: C, utterance: Utterance = testUtterance()) {
  const features = computeFeatures(audio);
  const speech = findSpeech(features, audio.durationSec, configSchema.parse({}).analyzers.silence);
  const trims = suggestedTrims(speech, audio.durationSec, configSchema.parse({}).analyzers.silence.trimMarginSec);
  const source = { name: 'test', expectsNormalizedText: false };
  return { utterance, audio, features, speech, trims, config, source, alphabet: ALPHABET };
}

function testUtterance(text = 'a test sentence'): Utterance {
  return {
    id: 't',
    text,
    audio: { kind: 'file', path: 't.wav', relPath: 't.wav' },
    origin: { file: 'metadata.csv', line: 1 },
    language: 'en',
  };
}

/** Runs every clip analyzer over decoded audio, as the pipeline does, and returns metrics and finding codes. */
export function analyze(audio: DecodedAudio, text = 'a test sentence', input: AuditConfigInput = {}) {
  const config = configSchema.parse(input);
  const env = {
    config,
    facts: facts({ name: 'test', language: 'en', expectsNormalizedText: true }),
    tools: {},
    readRoots: [],
  };
  const results = analyseAudio(testUtterance(text), audio, env);
  const metrics: Record<string, number> = Object.assign({}, ...results.map((r) => r.metrics));
  return { metrics, codes: results.flatMap((r) => r.findings.map((f) => f.code)) };
}

export async function decode(path: string): Promise<DecodedAudio> {
  return (await decodeFile(path)).audio;
}

export function path(dir: string, name: string): string {
  return join(dir, name);
}
