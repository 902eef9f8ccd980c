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
import { frameSizeFor } from '../../src/features/frames.js';
import { trackPitch } from '../../src/features/pitch.js';
import { scanSamples } from '../../src/features/scan.js';
import { findSpeech } from '../../src/features/speech.js';
import { suggestedTrims } from '../../src/features/trims.js';
import { openClipTools } from '../../src/pipeline/tools.js';
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
  /** Parts of the feature stage, timed again on their own (not in the stages' sum): where the features go. */
  parts: StageCost[];
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
  const config = configSchema.parse({});
  const parsed = config.analyzers;
  const configs = parsed as Record<string, unknown>;
  // The helpers the run would open (espeak-ng): an analyzer's `prepare` is our side of talking to them.
  const tools = await openClipTools(config);
  const alphabet = compileAlphabet(parsed.text);
  const decode: StageCost = { name: 'decode (decodeFile)', cpuSec: 0, wallSec: 0 };
  const features: StageCost = { name: 'features (computeFeatures)', cpuSec: 0, wallSec: 0 };
  const speechSpan: StageCost = { name: 'speech span (findSpeech)', cpuSec: 0, wallSec: 0 };
  const perAnalyzer = analyzers.map((a): StageCost => ({ name: `analyzer ${a.name}`, cpuSec: 0, wallSec: 0 }));
  const perPrepare = analyzers.map((a): StageCost => ({ name: `${a.name}: prepare`, cpuSec: 0, wallSec: 0 }));
  const sweep: StageCost = { name: 'features: the pass over the samples (scanSamples)', cpuSec: 0, wallSec: 0 };
  const pitch: StageCost = { name: 'features: pitch (trackPitch, YIN)', cpuSec: 0, wallSec: 0 };
  const failures: string[] = [];
  let audioSec = 0;

  for (const u of utterances) {
    if (u.audio.kind !== 'file') throw new Error(`${u.id}: expected a file-backed clip`);
    const { path, relPath } = u.audio;
    const { audio } = await charge(decode, () => decodeFile(path, relPath));
    audioSec += audio.durationSec;
    const feats = await charge(features, () => computeFeatures(audio));
    const { samples, sampleRate } = audio;
    await charge(sweep, () => scanSamples(samples, sampleRate, feats.hopSize, frameSizeFor(sampleRate)));
    const { hopSize, spectralStride: stride, rmsDb } = feats;
    await charge(pitch, () => trackPitch({ samples, sampleRate, hopSize, stride, rmsDb }));
    const speech = await charge(speechSpan, () => findSpeech(feats, audio.durationSec, parsed.silence));
    for (const [i, analyzer] of analyzers.entries()) {
      try {
        const config = configs[analyzer.name];
        const prepared = analyzer.prepare
          ? await charge(perPrepare[i], () =>
              analyzer.prepare!({ utterance: u, config, source: info, tools, audio: Promise.resolve(audio) }),
            )
          : undefined;
        await charge(perAnalyzer[i], () =>
          analyzer.analyze({
            ...{ utterance: u, audio, features: feats, speech, config, source: info, alphabet, prepared },
            trims: suggestedTrims(speech, audio.durationSec, parsed.silence.trimMarginSec),
          }),
        );
      } catch (err) {
        failures.push(`${u.id} ${analyzer.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  tools.close();
  const prepares = perPrepare.filter((_, i) => analyzers[i].prepare);
  return {
    files: utterances.length,
    audioSec,
    stages: [decode, features, speechSpan, ...prepares, ...perAnalyzer],
    parts: [sweep, pitch],
    failures,
  };
}
