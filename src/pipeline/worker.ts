// A worker thread of the clip pool: decodes and analyses the clips it is sent. What it opens (espeak-ng
// processes) lives as long as the thread, which belongs to the pool the run created; the pool calls `teardown`
// before it ends the thread, and the run ends the pool when it ends.
import Tinypool from 'tinypool';
import { compileAlphabet } from '../text/alphabet.js';
import type { Utterance } from '../types.js';
import { mapOrdered } from '../util/ordered.js';
import { analyseClip, type ClipEnv, type ClipOutcome } from './clip.js';
import type { WorkerInit } from './runner.js';
import { openClipTools, type OpenTools } from './tools.js';

let opened: Promise<{ env: ClipEnv; tools: OpenTools }> | undefined;

async function open(init: WorkerInit) {
  const tools = await openClipTools(init.config);
  const facts = {
    source: init.source,
    alphabet: compileAlphabet(init.config.analyzers.text),
    phonemizer: init.phonemizer,
  };
  return { env: { config: init.config, facts, tools, readRoots: init.readRoots }, tools };
}

/** One pool task: a batch of clips, two at a time so espeak-ng reads one transcript while the other is analysed. */
export default async function analyse(batch: Utterance[]): Promise<ClipOutcome[]> {
  opened ??= open(Tinypool.workerData as WorkerInit);
  const { env } = await opened;
  const outcomes: ClipOutcome[] = [];
  for await (const o of mapOrdered(fromArray(batch), (u) => analyseClip(u, env), 2)) outcomes.push(o);
  return outcomes;
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

export async function teardown(): Promise<void> {
  (await opened)?.tools.close();
}
