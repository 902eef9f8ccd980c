// Per-stage cost of one clip, measured the way src/pipeline/clip.ts runs it: decode → features → analyzers.

import { performance } from 'node:perf_hooks';
import {
  clipAnalyzers,
  computeFeatures,
  configSchema,
  decodeFile,
  selectSource,
  type ClipAnalyzer,
  type Utterance,
} from '../../src/index.js';
import { findSpeech } from '../../src/features/speech.js';
import type { SourceOptions } from '../../src/sources/types.js';
import { compileAlphabet } from '../../src/text/alphabet.js';

export interface StageCost {
  name: string;
  cpuSec: number;
  wallSec: number;
}

export interface StageBreakdown {
  files: number;
  audioSec: number;
  stages: StageCost[];
  /** Analyzer calls that threw (clip.ts would turn each into an `analyzer.failed` finding). */
  failures: string[];
}

function cpuSecSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** Runs `fn` and charges its process CPU and wall time to `stage`. */
async function charge<T>(stage: StageCost, fn: () => T | Promise<T>): Promise<T> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  stage.wallSec += (performance.now() - t0) / 1000;
  stage.cpuSec += cpuSecSince(cpu0);
  return result;
}

export async function measureStages(
  root: string,
  format = 'ljspeech',
  options: SourceOptions = {},
): Promise<StageBreakdown> {
  // Utterances come from the real loader so the analyzers see exactly what audit() hands them.
  const source = await selectSource(root, format, options);
  const info = {
    name: source.name,
    language: source.language,
    nominalFormat: source.nominalFormat,
    expectsNormalizedText: source.expectsNormalizedText,
  };
  const utterances: Utterance[] = [];
  for await (const item of source.read(root, options)) if ('utterance' in item) utterances.push(item.utterance);

  const analyzers = clipAnalyzers as readonly ClipAnalyzer[];
  const parsed = configSchema.parse({}).analyzers;
  const configs = parsed as Record<string, unknown>;
  const alphabet = compileAlphabet(parsed.text);
  const decode: StageCost = { name: 'decode (decodeFile)', cpuSec: 0, wallSec: 0 };
  const features: StageCost = { name: 'features (computeFeatures)', cpuSec: 0, wallSec: 0 };
  const speechSpan: StageCost = { name: 'speech span (findSpeech)', cpuSec: 0, wallSec: 0 };
  const perAnalyzer = analyzers.map((a): StageCost => ({ name: `analyzer ${a.name}`, cpuSec: 0, wallSec: 0 }));
  const failures: string[] = [];
  let audioSec = 0;

  for (const u of utterances) {
    if (u.audio.kind !== 'file') throw new Error(`${u.id}: expected a file-backed clip`);
    const { path, relPath } = u.audio;
    const { audio } = await charge(decode, () => decodeFile(path, relPath));
    audioSec += audio.durationSec;
    const feats = await charge(features, () => computeFeatures(audio));
    const speech = await charge(speechSpan, () => findSpeech(feats, audio.durationSec, parsed.silence));
    for (const [i, analyzer] of analyzers.entries()) {
      try {
        await charge(perAnalyzer[i], () =>
          analyzer.analyze({
            utterance: u,
            audio,
            features: feats,
            speech,
            config: configs[analyzer.name],
            source: info,
            alphabet,
          }),
        );
      } catch (err) {
        failures.push(`${u.id} ${analyzer.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return { files: utterances.length, audioSec, stages: [decode, features, speechSpan, ...perAnalyzer], failures };
}
