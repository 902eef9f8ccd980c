import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { clipAnalyzers } from '../../src/analyzers/clip/index.js';
import { text } from '../../src/analyzers/clip/text.js';
import type { ClipAnalyzer, RunFacts, SourceInfo } from '../../src/analyzers/types.js';
import { decodeFile } from '../../src/audio/decode.js';
import { configSchema, type AuditConfigInput } from '../../src/config/schema.js';
import { computeFeatures } from '../../src/features/frames.js';
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

/** Runs every clip analyzer over decoded audio, as the pipeline does, and returns metrics and finding codes. */
/** The alphabet a run builds from the default config. */
export const ALPHABET = compileAlphabet(text.config.parse(undefined));

/** Run facts for a dataset analyzer under test. */
export const facts = (source: SourceInfo): RunFacts => ({ source, alphabet: ALPHABET });

export function analyze(audio: DecodedAudio, text = 'a test sentence', input: AuditConfigInput = {}) {
  const config = configSchema.parse(input);
  const utterance: Utterance = {
    id: 't',
    text,
    audio: { kind: 'file', path: 't.wav', relPath: 't.wav' },
    origin: { file: 'metadata.csv', line: 1 },
    language: 'en',
  };
  const features = computeFeatures(audio);
  const metrics: Record<string, number> = {};
  const codes: string[] = [];
  for (const a of clipAnalyzers as readonly ClipAnalyzer[]) {
    const r = a.analyze({
      utterance,
      audio,
      features,
      metrics,
      config: (config.analyzers as Record<string, unknown>)[a.name],
      source: { name: 'test', language: 'en', expectsNormalizedText: true },
      alphabet: ALPHABET,
    });
    Object.assign(metrics, r.metrics);
    codes.push(...r.findings.map((f) => f.code));
  }
  return { metrics, codes };
}

export async function decode(path: string): Promise<DecodedAudio> {
  return (await decodeFile(path)).audio;
}

export function path(dir: string, name: string): string {
  return join(dir, name);
}
