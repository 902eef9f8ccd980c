// A worker thread of the clip pool: decodes and analyses the clips it is sent. What it opens (espeak-ng
// processes) lives as long as the thread, which belongs to the pool the run created; the pool calls `teardown`
// before it ends the thread, and the run ends the pool when it ends.
import Tinypool from 'tinypool';
import { compileAlphabet } from '../text/alphabet.js';
import type { Utterance } from '../types.js';
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

export default async function analyse(u: Utterance): Promise<ClipOutcome> {
  opened ??= open(Tinypool.workerData as WorkerInit);
  return analyseClip(u, (await opened).env);
}

export async function teardown(): Promise<void> {
  (await opened)?.tools.close();
}
